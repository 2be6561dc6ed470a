package dev.tokenward.test;

import static dev.tokenward.test.Http.form;
import static dev.tokenward.test.TestIssuer.DEFAULT_API;
import static dev.tokenward.test.TestIssuer.DEMO_CLIENT;
import static dev.tokenward.test.TestIssuer.DEMO_PASSWORD;
import static dev.tokenward.test.TestIssuer.DEMO_SECRET;
import static dev.tokenward.test.TestIssuer.DEMO_USER;
import static dev.tokenward.test.TestIssuer.MFA_ACR;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The claims step-up authentication (RFC 9470) looks at: acr, amr and auth_time, as Auth0 writes them. */
class StepUpClaimsTest {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static TestIssuer issuer;

    @BeforeAll
    static void start() {
        issuer = TestIssuer.defaultsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build().start();
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    private static Map<String, Object> passwordGrant(String... more) throws Exception {
        String[] base = {"grant_type", "password", "client_id", DEMO_CLIENT, "client_secret", DEMO_SECRET,
            "username", DEMO_USER, "password", DEMO_PASSWORD, "audience", DEFAULT_API};
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(more))
                .toArray(String[]::new);
        Http.Response r = Http.postForm(issuer.tokenEndpoint(), form(all));
        assertThat(r.status()).isEqualTo(200);
        return Http.rawPayload(r.string("access_token"));
    }

    @Test
    void passwordGrantWhenNoAcrValuesThenAuthTimeAndPwdButNoAcr() throws Exception {
        Map<String, Object> payload = passwordGrant();
        assertThat(payload.get("auth_time")).isEqualTo(NOW.getEpochSecond());
        assertThat(payload.get("amr")).isEqualTo(List.of("pwd"));
        assertThat(payload).doesNotContainKey("acr");
    }

    @Test
    void passwordGrantWhenAcrValuesNameMultiFactorThenAcrAndMfaLikeAuth0() throws Exception {
        Map<String, Object> payload = passwordGrant("acr_values", MFA_ACR);
        assertThat(payload.get("acr")).isEqualTo(MFA_ACR);
        assertThat(payload.get("amr")).isEqualTo(List.of("pwd", "mfa"));
        assertThat(payload.get("auth_time")).isEqualTo(NOW.getEpochSecond());
        assertThat(Http.rawPayload(issuer.mfaUserAccessToken(DEMO_USER, DEMO_CLIENT, DEFAULT_API)))
                .containsEntry("acr", MFA_ACR).containsEntry("amr", List.of("pwd", "mfa"));
    }

    @Test
    void passwordGrantWhenAcrValuesUnknownThenIgnored() throws Exception {
        assertThat(passwordGrant("acr_values", "urn:unknown")).doesNotContainKey("acr").containsEntry("amr", List.of("pwd"));
    }

    @Test
    void clientCredentialsWhenAnyThenNoUserAuthenticationClaims() throws Exception {
        assertThat(Http.rawPayload(issuer.accessToken(DEMO_CLIENT, DEFAULT_API)))
                .doesNotContainKeys("acr", "amr", "auth_time");
    }

    @Test
    void jwtBuilderWhenAcrAmrAuthTimeGivenThenWritten() throws Exception {
        Map<String, Object> payload = Http.rawPayload(issuer.jwt().acr(MFA_ACR).amr("pwd", "mfa")
                .authTime(NOW.minusSeconds(30)).sign());
        assertThat(payload).containsEntry("acr", MFA_ACR).containsEntry("amr", List.of("pwd", "mfa"))
                .containsEntry("auth_time", NOW.getEpochSecond() - 30);
    }
}
