package dev.tokenward.test;

import static dev.tokenward.test.TestIssuer.DEFAULT_API;
import static dev.tokenward.test.TestIssuer.DEMO_CLIENT;
import static dev.tokenward.test.TestIssuer.DEMO_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.OpaqueTokenPolicy;
import dev.tokenward.core.Reason;
import dev.tokenward.core.TokenKind;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.core.VerifiedToken;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Opaque tokens from {@link TestIssuer#opaque()}, resolved over HTTP by the issuer's userinfo and introspection. */
class OpaqueTokenBuilderTest {

    static TestIssuer issuer;

    @BeforeAll
    static void start() {
        issuer = TestIssuer.defaults().start();
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    private static Map<String, Object> introspect(String token) {
        return Http.postForm(issuer.introspectionEndpoint(), Http.basic(DEMO_CLIENT, DEMO_SECRET),
                Http.form("token", token)).json();
    }

    @Test
    void issueWhenScopesPermissionsAndClaimsThenUserinfoAnswersThemAndTheValidatorAccepts() throws Exception {
        String token = issuer.opaque().subject("auth0|alice").scopes("openid", "read:messages")
                .permissions("read:messages").claim("email", "alice@example.com").issue();

        assertThat(token).doesNotContain(".").hasSize(43);
        Http.Response userinfo = Http.getBearer(issuer.userinfoEndpoint(), token);
        assertThat(userinfo.status()).isEqualTo(200);
        assertThat(userinfo.json()).containsEntry("sub", "auth0|alice").containsEntry("scope", "openid read:messages")
                .containsEntry("permissions", List.of("read:messages")).containsEntry("email", "alice@example.com");
        try (AccessTokenValidator v = issuer.validatorBuilder().opaqueTokens(OpaqueTokenPolicy.USERINFO).build()) {
            VerifiedToken t = v.validate(token);
            assertThat(t.kind()).isEqualTo(TokenKind.OPAQUE);
            assertThat(t.subject()).isEqualTo("auth0|alice");
            assertThat(t.grants("read:messages")).isTrue();
        }
    }

    @Test
    void issueWhenAudienceThenIntrospectionNamesItAndTheIntrospectingValidatorAccepts() throws Exception {
        String token = issuer.opaque().audience(DEFAULT_API).clientId("my-app").scopes("read:messages").issue();

        assertThat(introspect(token)).containsEntry("active", true).containsEntry("client_id", "my-app")
                .containsEntry("aud", List.of(DEFAULT_API, issuer.userinfoEndpoint()))
                .containsEntry("scope", "read:messages").containsEntry("iss", issuer.issuer());
        try (AccessTokenValidator v = issuer.validatorBuilder().opaqueTokens(OpaqueTokenPolicy.INTROSPECT)
                .introspection(null, DEMO_CLIENT, DEMO_SECRET).build()) {
            assertThat(v.validate(token).scopes()).containsExactly("read:messages");
        }
    }

    @Test
    void issueWhenExpiredThenInactiveEverywhere() {
        String token = issuer.opaque().expired().issue();

        assertThat(introspect(token)).isEqualTo(Map.of("active", false));
        assertThat(Http.getBearer(issuer.userinfoEndpoint(), token).status()).isEqualTo(401);
        try (AccessTokenValidator v = issuer.validatorBuilder().opaqueTokens(OpaqueTokenPolicy.USERINFO).build()) {
            assertThatThrownBy(() -> v.validate(token)).isInstanceOfSatisfying(TokenValidationException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.INACTIVE));
        }
    }

    @Test
    void issueWhenRevokedThenInactive() {
        String token = issuer.opaque().issue();
        assertThat(introspect(token)).containsEntry("active", true);

        issuer.revoke(token);

        assertThat(introspect(token)).isEqualTo(Map.of("active", false));
    }
}
