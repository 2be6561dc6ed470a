package dev.tokenward.core;

import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.ValidatorTestSupport.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClaimRulesTest {
  private final FakeIssuer issuer = new FakeIssuer();
  private final MutableClock clock = new MutableClock();
  private final long now = clock.millis() / 1000;

  @AfterEach
  void stop() throws Exception {
    issuer.close();
  }

  private AccessTokenValidator.Builder builder() {
    return AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE).clock(clock);
  }

  @Test
  void expWhenExactlyAtSkewBoundaryThenExpired() throws Exception {
    AccessTokenValidator v = builder().disableTokenCache().build();
    assertThat(v.validate(issuer.jwt().claim("exp", now - 59).sign()).subject()).isNotNull();
    assertRefused(() -> v.validate(issuer.jwt().claim("exp", now - 60).sign()), Reason.EXPIRED)
        .hasMessageContaining("clock skew 60 s");
  }

  @Test
  void expWhenMissingThenMissingClaim() {
    assertRefused(() -> builder().build().validate(issuer.jwt().claim("exp", null).sign()), Reason.MISSING_CLAIM)
        .hasMessageContaining("'exp'");
  }

  @Test
  void nbfWhenBeyondSkewThenNotYetValidAndWithinSkewAccepted() throws Exception {
    AccessTokenValidator v = builder().clockSkew(Duration.ofSeconds(10)).build();
    assertThat(v.validate(issuer.jwt().claim("nbf", now + 10).sign()).subject()).isNotNull();
    assertRefused(() -> v.validate(issuer.jwt().claim("nbf", now + 11).sign()), Reason.NOT_YET_VALID)
        .hasMessageContaining("'nbf'");
  }

  @Test
  void iatWhenInTheFutureBeyondSkewThenNotYetValid() {
    assertRefused(() -> builder().build().validate(issuer.jwt().claim("iat", now + 61).sign()), Reason.NOT_YET_VALID)
        .hasMessageContaining("'iat'");
  }

  @Test
  void maxTokenAgeWhenIssuedTooLongAgoThenTooOld() throws Exception {
    AccessTokenValidator v = builder().maxTokenAge(Duration.ofMinutes(10)).build();
    assertThat(v.validate(issuer.jwt().claim("iat", now - 600).sign()).subject()).isNotNull();
    assertRefused(() -> v.validate(issuer.jwt().claim("iat", now - 661).sign()), Reason.TOO_OLD);
    assertRefused(() -> v.validate(issuer.jwt().claim("iat", null).sign()), Reason.MISSING_CLAIM);
  }

  @Test
  void strictTypeWhenTypIsJwtThenWrongType() throws Exception {
    AccessTokenValidator v = builder().requireAccessTokenType(true).build();
    assertThat(v.validate(issuer.jwt().header("typ", "application/at+jwt").sign()).subject()).isNotNull();
    assertRefused(() -> v.validate(issuer.jwt().header("typ", "JWT").sign()), Reason.WRONG_TYPE);
  }

  @Test
  void audWhenMissingThenMissingClaim() {
    assertRefused(() -> builder().build().validate(issuer.jwt().claim("aud", null).sign()), Reason.MISSING_CLAIM);
  }

  @Test
  void audWhenClientIdLikeThenHintsIdToken() {
    assertRefused(() -> builder().build().validate(issuer.jwt().claim("aud", "AbC123clientid").sign()),
        Reason.WRONG_AUDIENCE).hasMessageContaining("ID token");
  }

  @Test
  void customChecksWhenComposedThenFirstFailingOneNamed() throws Exception {
    AccessTokenValidator v = builder()
        .claimCheck(ClaimCheck.equals("gty", "client-credentials").and(ClaimCheck.includes("scope", "read:messages")))
        .claimCheck(ClaimCheck.of("header kid is rsa-1", t -> t.keyId().orElse("").equals("rsa-1")))
        .build();
    assertThat(v.validate(issuer.jwt().claim("gty", "client-credentials").sign()).subject()).isNotNull();
    assertRefused(() -> v.validate(issuer.jwt().claim("gty", "password").sign()), Reason.CLAIM_CHECK_FAILED)
        .hasMessage("claim check failed: claim 'gty' must equal 'client-credentials'");
    assertRefused(() -> v.validate(issuer.jwt().claim("gty", "client-credentials").claim("scope", "other").sign()),
        Reason.CLAIM_CHECK_FAILED).hasMessage("claim check failed: claim 'scope' must include 'read:messages'");
  }

  @Test
  void hs256WhenSecretMatchesThenAcceptedAndSeveralAudiencesRefused() throws Exception {
    byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    AccessTokenValidator v = builder().algorithms("HS256").hmacSecret(secret).build();
    assertThat(v.validate(issuer.jwt().claim("aud", FakeIssuer.AUDIENCE).signWithSecret(secret).sign()).algorithm())
        .contains("HS256");
    assertRefused(() -> v.validate(issuer.jwt().signWithSecret(secret).sign()), Reason.WRONG_AUDIENCE)
        .hasMessageContaining("single audience").hasMessageContaining("RS256");
    assertRefused(() -> v.validate(issuer.jwt().claim("aud", FakeIssuer.AUDIENCE)
        .signWithSecret("another-secret-another-secret-!!".getBytes(StandardCharsets.US_ASCII)).sign()),
        Reason.BAD_SIGNATURE);
    assertThat(issuer.requests()).isEmpty();
  }

  @Test
  void es256AndPs256WhenAllowedThenVerifiedFromJwks() throws Exception {
    AccessTokenValidator v = builder().algorithms("ES256", "PS256").build();
    assertThat(v.validate(issuer.jwt().signWith(FakeIssuer.ecKey()).sign()).algorithm()).contains("ES256");
    assertThat(v.validate(issuer.jwt().header("alg", "PS256").signWith(FakeIssuer.rsaKey(0)).sign()).algorithm())
        .contains("PS256");
  }

  @Test
  void eddsaWhenStaticOkpKeyThenVerifiedWithoutNetwork() throws Exception {
    java.security.KeyPair pair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----";
    AccessTokenValidator v = builder().algorithms("EdDSA").keys(StaticKeys.fromPem(pem, "ed-1")).build();
    String token = signEd25519(pair.getPrivate(), issuer.jwt().header("alg", "EdDSA").header("kid", "ed-1"));
    assertThat(v.validate(token).algorithm()).contains("EdDSA");
    assertThat(issuer.requests()).isEmpty();
  }

  @Test
  void staticPemKeyWhenGivenThenVerifiesAndNeverFetches() throws Exception {
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(FakeIssuer.rsaKey(0).toRSAPublicKey().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    AccessTokenValidator v = builder().keys(StaticKeys.fromPem(pem, "rsa-1")).build();
    assertThat(v.validate(issuer.jwt().sign()).subject()).isEqualTo("auth0|user-1");
    assertRefused(() -> v.validate(issuer.jwt().signWith(FakeIssuer.rsaKey(1)).sign()), Reason.UNKNOWN_KEY);
    assertThat(issuer.requests()).isEmpty();
  }

  @Test
  void staticJwksDocumentWhenPrivateKeysGivenThenOnlyPublicPartsKept() throws Exception {
    String doc = new com.nimbusds.jose.jwk.JWKSet(FakeIssuer.rsaKey(0)).toString(false);
    assertThat(StaticKeys.fromJson(doc).getKeys().get(0).isPrivate()).isFalse();
  }

  @Test
  void multiIssuerWhenTokenFromSecondIssuerThenItsOwnAudienceApplies() throws Exception {
    try (FakeIssuer second = new FakeIssuer()) {
      AccessTokenValidator v = builder()
          .issuer(TrustedIssuer.builder(second.issuer()).audience("https://second.api").build())
          .build();
      VerifiedToken t = v.validate(second.jwt().claim("aud", "https://second.api").sign());
      assertThat(t.issuer()).isEqualTo(second.issuer());
      assertRefused(() -> v.validate(second.jwt().sign()), Reason.WRONG_AUDIENCE);
      assertThat(v.validate(issuer.jwt().sign()).issuer()).isEqualTo(issuer.issuer());
    }
  }

  @Test
  void discoveryWhenItNamesIssuerWithSlashThenAdoptedAndTokensComparedExactly() throws Exception {
    String noSlash = issuer.issuer().substring(0, issuer.issuer().length() - 1);
    AccessTokenValidator v = AccessTokenValidator.builder().issuer(noSlash).audience(FakeIssuer.AUDIENCE).build();
    assertThat(v.validate(issuer.jwt().sign()).issuer()).isEqualTo(issuer.issuer());
    assertRefused(() -> v.validate(issuer.jwt().claim("iss", noSlash).sign()), Reason.WRONG_ISSUER);
  }

  @Test
  void discoveryWhenItNamesAnotherIssuerThenUnavailableAndEndpointsNotUsed() {
    issuer.discoveredIssuer("https://evil.example/");
    // issue 10 item 17: the description names the document and what is wrong with it, not the JWKS
    assertRefused(() -> builder().build().validate(issuer.jwt().sign()), Reason.ISSUER_UNAVAILABLE)
        .hasMessageContaining("discovery document").hasMessageContaining("names issuer 'https://evil.example/'");
    assertThat(issuer.jwksHits()).isZero();
  }

  @Test
  void discoveryWhenOidcDocumentMissingThenRfc8414MetadataUsed() throws Exception {
    issuer.answer("/.well-known/openid-configuration", new okhttp3.mockwebserver.MockResponse().setResponseCode(404));
    issuer.answer("/.well-known/oauth-authorization-server", r -> FakeIssuer.json(
        "{\"issuer\":\"" + issuer.issuer() + "\",\"jwks_uri\":\"" + issuer.url("/.well-known/jwks.json") + "\"}"));
    assertThat(builder().build().validate(issuer.jwt().sign()).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void verifiedTokenWhenCallerMutatesClaimsThenRefused() throws Exception {
    VerifiedToken t = builder().build().validate(issuer.jwt().sign());
    @SuppressWarnings("unchecked")
    List<Object> perms = (List<Object>) t.claims().get("permissions");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> perms.add("admin:all"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(t.toString()).doesNotContain("eyJ");
  }

  private static String signEd25519(java.security.PrivateKey key, FakeIssuer.Jwt jwt) throws Exception {
    String unsigned = jwt.unsigned("x");
    String input = unsigned.substring(0, unsigned.lastIndexOf('.'));
    java.security.Signature s = java.security.Signature.getInstance("Ed25519");
    s.initSign(key);
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + com.nimbusds.jose.util.Base64URL.encode(s.sign());
  }
}
