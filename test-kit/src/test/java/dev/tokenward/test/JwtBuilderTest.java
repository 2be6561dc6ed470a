package dev.tokenward.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.Reason;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.core.VerifiedToken;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tokens from {@link TestIssuer#jwt()} against tokenward's own validator, trusting the issuer in one call. */
class JwtBuilderTest {

    static final String HS_API = "https://hs.api.example";
    static final String HS_SECRET = "a shared secret of at least 32 bytes!";

    static TestIssuer issuer;
    static AccessTokenValidator validator;

    @BeforeAll
    static void start() {
        issuer = TestIssuer.defaultsBuilder().hs256Api(HS_API, HS_SECRET, "read:hs").build().start();
        validator = issuer.validatorBuilder().algorithms("RS256", "ES256", "EdDSA").build();
    }

    @AfterAll
    static void stop() {
        validator.close();
        issuer.close();
    }

    private static Reason refusal(AccessTokenValidator v, String token) {
        try {
            v.validate(token);
        } catch (TokenValidationException e) {
            return e.reason();
        }
        throw new AssertionError("the token was accepted");
    }

    @Test
    void signWhenDefaultsThenAuth0AccessTokenForTheFirstApiThatValidates() throws Exception {
        String token = issuer.jwt().sign();

        VerifiedToken t = validator.validate(token);
        assertThat(t.issuer()).isEqualTo(issuer.issuer());
        assertThat(t.subject()).isEqualTo(JwtBuilder.DEFAULT_SUBJECT);
        assertThat(t.audiences()).containsExactly(TestIssuer.DEFAULT_API);
        assertThat(t.algorithm()).contains("RS256");
        assertThat(t.keyId()).contains(issuer.currentKeyId());
        assertThat(t.header()).containsEntry("typ", "JWT");
        assertThat(t.claims()).containsEntry("azp", JwtBuilder.DEFAULT_CLIENT)
                .doesNotContainKeys("scope", "permissions", "nbf");
        assertThat(t.expiresAt().orElseThrow())
                .isEqualTo(t.issuedAt().orElseThrow().plus(TestIssuer.DEFAULT_TOKEN_LIFETIME));
    }

    @Test
    void signWhenSubjectScopesPermissionsAndClaimsThenAllArriveAsGiven() throws Exception {
        String token = issuer.jwt().subject("auth0|alice").scopes("read:messages", "openid")
                .permissions("admin:all").claim("org_id", "org_42").claim("https://example.com/roles", List.of("a", "b"))
                .clientId("my-app").sign();

        VerifiedToken t = validator.validate(token);
        assertThat(t.subject()).isEqualTo("auth0|alice");
        assertThat(t.scopes()).containsExactlyInAnyOrder("read:messages", "openid");
        assertThat(t.permissions()).containsExactly("admin:all");
        assertThat(t.claims()).containsEntry("org_id", "org_42").containsEntry("azp", "my-app")
                .containsEntry("https://example.com/roles", List.of("a", "b"));
    }

    @Test
    void signWhenSeveralAudiencesThenArrayAndOneAudienceThenString() throws Exception {
        String two = issuer.jwt().audience(TestIssuer.DEFAULT_API, issuer.userinfoEndpoint()).sign();
        String one = issuer.jwt().sign();

        assertThat(SignedJWT.parse(two).getPayload().toJSONObject().get("aud"))
                .isEqualTo(List.of(TestIssuer.DEFAULT_API, issuer.userinfoEndpoint()));
        assertThat(SignedJWT.parse(one).getPayload().toJSONObject().get("aud")).isEqualTo(TestIssuer.DEFAULT_API);
        assertThat(validator.validate(two).audiences()).contains(TestIssuer.DEFAULT_API);
    }

    @Test
    void signWhenOtherAudienceThenWrongAudience() {
        assertThat(refusal(validator, issuer.jwt().audience("https://other.api").sign())).isEqualTo(Reason.WRONG_AUDIENCE);
    }

    @Test
    void signWhenExpiredThenExpired() {
        assertThat(refusal(validator, issuer.jwt().expired().sign())).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void signWhenLifetimeOrExpiresAtThenExpFollows() throws Exception {
        Instant iat = Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        VerifiedToken shortLived = validator.validate(issuer.jwt().issuedAt(iat).lifetime(Duration.ofMinutes(5)).sign());
        assertThat(shortLived.issuedAt()).contains(iat);
        assertThat(shortLived.expiresAt()).contains(iat.plusSeconds(300));

        Instant exp = iat.plusSeconds(900);
        assertThat(validator.validate(issuer.jwt().issuedAt(iat).expiresAt(exp).sign()).expiresAt()).contains(exp);
    }

    @Test
    void signWhenNotBeforeInTheFutureThenNotYetValidAndInThePastThenValid() throws Exception {
        Instant now = Instant.now();
        assertThat(refusal(validator, issuer.jwt().notBefore(now.plus(Duration.ofHours(1))).sign()))
                .isEqualTo(Reason.NOT_YET_VALID);
        assertThat(validator.validate(issuer.jwt().notBefore(now.minusSeconds(60)).sign()).claims()).containsKey("nbf");
    }

    @Test
    void signWhenIssuedInTheFutureThenNotYetValid() {
        assertThat(refusal(validator, issuer.jwt().issuedAt(Instant.now().plus(Duration.ofHours(1))).sign()))
                .isEqualTo(Reason.NOT_YET_VALID);
    }

    @Test
    void signWhenWronglySignedThenBadSignatureForEveryKeyType() {
        assertThat(refusal(validator, issuer.jwt().wronglySigned().sign())).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(refusal(validator, issuer.jwt().algorithm("ES256").wronglySigned().sign()))
                .isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(refusal(validator, issuer.jwt().algorithm("EdDSA").wronglySigned().sign()))
                .isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void signWhenForeignIssuerThenWrongIssuer() throws Exception {
        String token = issuer.jwt().foreignIssuer().sign();

        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getIssuer()).isEqualTo(JwtBuilder.FOREIGN_ISSUER);
        assertThat(refusal(validator, token)).isEqualTo(Reason.WRONG_ISSUER);
    }

    @Test
    void signWhenUnknownKidThenUnknownKey() {
        assertThat(refusal(validator, issuer.jwt().keyId("no-such-key").sign())).isEqualTo(Reason.UNKNOWN_KEY);
    }

    @Test
    void signWhenEs256OrEdDsaThenTheirKeysArePublishedAndTokensValidate() throws Exception {
        VerifiedToken es = validator.validate(issuer.jwt().algorithm("ES256").sign());
        VerifiedToken ed = validator.validate(issuer.jwt().algorithm("EdDSA").sign());

        assertThat(es.algorithm()).contains("ES256");
        assertThat(ed.algorithm()).contains("EdDSA");
        assertThat(issuer.publicKeys().getKeys()).extracting(JWK::getKeyID)
                .contains(issuer.currentKeyId(), es.keyId().orElseThrow(), ed.keyId().orElseThrow());
        assertThat(issuer.publicKeys().getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
    }

    @Test
    void signWhenAlgorithmNotAllowedByTheValidatorThenDisallowedAlgorithm() {
        try (AccessTokenValidator rs256Only = issuer.validator()) {
            assertThat(refusal(rs256Only, issuer.jwt().algorithm("ES256").sign())).isEqualTo(Reason.DISALLOWED_ALGORITHM);
        }
    }

    @Test
    void signWhenHs256WithTheApiSecretThenTheValidatorForThatApiAccepts() throws Exception {
        try (AccessTokenValidator hs = issuer.validatorBuilder(HS_API).build()) {
            VerifiedToken t = hs.validate(issuer.jwt().audience(HS_API).hmacSecret(HS_SECRET).scopes("read:hs").sign());
            assertThat(t.algorithm()).contains("HS256");
            assertThat(t.keyId()).isEmpty();
            assertThat(refusal(hs, issuer.jwt().audience(HS_API).hmacSecret(HS_SECRET).wronglySigned().sign()))
                    .isEqualTo(Reason.BAD_SIGNATURE);
        }
    }

    @Test
    void signWhenHmacWithoutSecretThenClearError() {
        assertThatThrownBy(() -> issuer.jwt().algorithm("HS256").sign()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hmacSecret");
        assertThatThrownBy(() -> issuer.jwt().algorithm("ES384")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported 'ES384'");
    }

    @Test
    void signWhenIdTokenThenRefusedAsAnAccessToken() throws Exception {
        String id = issuer.jwt().idToken(TestIssuer.DEMO_CLIENT).claim("aud", TestIssuer.DEFAULT_API).sign();

        assertThat(SignedJWT.parse(id).getJWTClaimsSet().getClaims()).containsKey("nonce")
                .doesNotContainKeys("scope", "permissions", "azp");
        assertThat(refusal(validator, id)).isEqualTo(Reason.ID_TOKEN);
        assertThat(refusal(validator, issuer.jwt().idToken(TestIssuer.DEMO_CLIENT).sign())).isIn(Reason.ID_TOKEN,
                Reason.WRONG_AUDIENCE);
    }

    @Test
    void signWhenClaimOrHeaderSetToNullThenLeftOut() throws Exception {
        String noExp = issuer.jwt().claim("exp", null).header("typ", null).sign();

        SignedJWT jwt = SignedJWT.parse(noExp);
        assertThat(jwt.getJWTClaimsSet().getExpirationTime()).isNull();
        assertThat(jwt.getHeader().getType()).isNull();
        assertThat(refusal(validator, noExp)).isEqualTo(Reason.MISSING_CLAIM);
    }

    @Test
    void unsignedWhenAlgNoneOrAnyVariantThenRefusedAndTheClaimsAreIntact() throws Exception {
        String none = issuer.jwt().scopes("read:messages").unsigned("");
        String variant = issuer.jwt().header("alg", "nOnE").unsigned("AA");

        assertThat(none).endsWith(".");
        assertThat(com.nimbusds.jwt.JWTParser.parse(none).getJWTClaimsSet().getStringClaim("scope"))
                .isEqualTo("read:messages");
        assertThat(SignedJWT.parse(variant).getHeader().toJSONObject()).containsEntry("alg", "nOnE")
                .doesNotContainKey("kid");
        // core refuses an empty signature part before it reads alg; with one, alg none in any case
        assertThat(refusal(validator, none)).isEqualTo(Reason.MALFORMED);
        assertThat(refusal(validator, issuer.jwt().unsigned("AA"))).isEqualTo(Reason.DISALLOWED_ALGORITHM);
        assertThat(refusal(validator, variant)).isEqualTo(Reason.DISALLOWED_ALGORITHM);
    }

    @Test
    void signWhenRfc9068TypeThenHeaderSays() throws Exception {
        assertThat(validator.validate(issuer.jwt().type("at+jwt").sign()).header()).containsEntry("typ", "at+jwt");
    }

    @Test
    void signWhenClockIsATestClockThenTimesFollowIt() throws Exception {
        TestClock clock = TestClock.at(Instant.parse("2030-01-01T00:00:00Z"));
        try (TestIssuer future = TestIssuer.defaultsBuilder().clock(clock).build().start()) {
            SignedJWT jwt = SignedJWT.parse(future.jwt().sign());
            assertThat(jwt.getJWTClaimsSet().getIssueTime().toInstant()).isEqualTo(clock.instant());
            clock.advance(Duration.ofMinutes(1));
            assertThat(SignedJWT.parse(future.jwt().sign()).getJWTClaimsSet().getIssueTime().toInstant())
                    .isEqualTo(Instant.parse("2030-01-01T00:01:00Z"));
        }
    }

    @Test
    void jwtWhenNoApiRegisteredThenAudienceRequired() {
        try (TestIssuer bare = TestIssuer.builder().build().start()) {
            assertThatThrownBy(() -> bare.jwt().sign()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("audience(...)");
            assertThatThrownBy(bare::validator).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no API is registered");
            assertThat(bare.jwt().audience("https://x.example").sign()).contains(".");
        }
    }
}
