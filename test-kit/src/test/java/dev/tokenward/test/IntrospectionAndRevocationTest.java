package dev.tokenward.test;

import static dev.tokenward.test.TestIssuer.ADMIN_CLIENT;
import static dev.tokenward.test.TestIssuer.ADMIN_SECRET;
import static dev.tokenward.test.TestIssuer.DEFAULT_API;
import static dev.tokenward.test.TestIssuer.DEMO_CLIENT;
import static dev.tokenward.test.TestIssuer.DEMO_SECRET;
import static dev.tokenward.test.TestIssuer.DEMO_USER;
import static dev.tokenward.test.TestIssuer.LIMITED_CLIENT;
import static dev.tokenward.test.TestIssuer.LIMITED_SECRET;
import static dev.tokenward.test.Http.basic;
import static dev.tokenward.test.Http.form;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntrospectionAndRevocationTest {

    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final String HS_API = "https://hs.tokenward.dev";

    TestClock clock = TestClock.at(NOW);
    TestIssuer issuer;

    @BeforeEach
    void start() {
        issuer = TestIssuer.defaultsBuilder().clock(clock)
                .hs256Api(HS_API, "0123456789abcdef0123456789abcdef-hs256", "read:hs")
                .client("hs-client", "hs-secret", c -> c.authorize(HS_API, "read:hs"))
                .build().start();
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    Http.Response introspect(String token) {
        return Http.postForm(issuer.introspectionEndpoint(), basic(LIMITED_CLIENT, LIMITED_SECRET), form("token", token));
    }

    Http.Response revoke(String id, String secret, String token) {
        return Http.postForm(issuer.issuer() + "oauth/revoke", basic(id, secret), form("token", token));
    }

    @Test
    void introspectWhenValidJwtThenActiveWithAllFields() {
        String token = issuer.accessToken(ADMIN_CLIENT, DEFAULT_API);

        Http.Response r = introspect(token);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).containsOnly(
                Map.entry("active", true),
                Map.entry("sub", "admin-client@clients"),
                Map.entry("client_id", ADMIN_CLIENT),
                Map.entry("scope", "read:messages admin:all"),
                Map.entry("permissions", List.of("read:messages", "admin:all")),
                Map.entry("exp", NOW.getEpochSecond() + 86400),
                Map.entry("iat", NOW.getEpochSecond()),
                Map.entry("iss", issuer.issuer()),
                Map.entry("aud", DEFAULT_API),
                Map.entry("token_type", "access_token"));
    }

    @Test
    void introspectWhenUserJwtWithOpenidThenArrayAud() {
        String token = issuer.userAccessToken(DEMO_USER, DEMO_CLIENT, DEFAULT_API, "openid", "read:messages");

        Http.Response r = introspect(token);

        assertThat(r.json()).containsEntry("active", true)
                .containsEntry("sub", TestIssuer.defaultUserId(DEMO_USER))
                .containsEntry("client_id", DEMO_CLIENT)
                .containsEntry("scope", "openid read:messages")
                .containsEntry("aud", List.of(DEFAULT_API, issuer.userinfoEndpoint()));
    }

    @Test
    void introspectWhenValidOpaqueThenActiveWithUserinfoAudience() {
        String token = issuer.opaqueToken(DEMO_CLIENT);

        Http.Response r = introspect(token);

        assertThat(r.json()).containsOnly(
                Map.entry("active", true),
                Map.entry("sub", "demo-client@clients"),
                Map.entry("client_id", DEMO_CLIENT),
                Map.entry("scope", "read:messages"),
                Map.entry("permissions", List.of("read:messages")),
                Map.entry("exp", NOW.getEpochSecond() + 86400),
                Map.entry("iat", NOW.getEpochSecond()),
                Map.entry("iss", issuer.issuer()),
                Map.entry("aud", issuer.userinfoEndpoint()),
                Map.entry("token_type", "access_token"));
    }

    @Test
    void introspectWhenHs256JwtThenActive() {
        String token = issuer.accessToken("hs-client", HS_API);

        assertThat(introspect(token).json()).containsEntry("active", true).containsEntry("aud", HS_API);
    }

    @Test
    void introspectWhenExpiredThenInactive() {
        String jwt = issuer.accessToken(DEMO_CLIENT, DEFAULT_API);
        String opaque = issuer.opaqueToken(DEMO_CLIENT);
        clock.advance(Duration.ofSeconds(86_400));

        assertThat(introspect(jwt).json()).containsOnly(Map.entry("active", false));
        assertThat(introspect(opaque).json()).containsOnly(Map.entry("active", false));
    }

    @Test
    void introspectWhenUnknownOrForeignTokenThenInactive() {
        String foreign;
        try (TestIssuer other = TestIssuer.defaults().start()) {
            foreign = other.accessToken(DEMO_CLIENT, DEFAULT_API);
        }
        String idToken = issuer.idToken(DEMO_USER, DEMO_CLIENT, null);

        assertThat(introspect("unknown-opaque-token-0123456789abcdefghij").json()).containsOnly(Map.entry("active", false));
        assertThat(introspect(foreign).json()).containsOnly(Map.entry("active", false));
        assertThat(introspect(idToken).json()).containsOnly(Map.entry("active", false));
        assertThat(introspect("x.y.z").json()).containsOnly(Map.entry("active", false));
    }

    @Test
    void introspectWhenTamperedJwtThenInactive() {
        String token = issuer.accessToken(DEMO_CLIENT, DEFAULT_API);
        String[] parts = token.split("\\.");
        String otherPayload = issuer.accessToken(ADMIN_CLIENT, DEFAULT_API).split("\\.")[1];

        assertThat(introspect(parts[0] + "." + otherPayload + "." + parts[2]).json())
                .containsOnly(Map.entry("active", false));
    }

    @Test
    void introspectWhenCallerNotAuthenticatedThen401() {
        Http.Response none = Http.postForm(issuer.introspectionEndpoint(), form("token", "whatever"));
        Http.Response wrong = Http.postForm(issuer.introspectionEndpoint(), basic(DEMO_CLIENT, "wrong"),
                form("token", "whatever"));

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json()).containsEntry("error", "invalid_client");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("WWW-Authenticate")).isEqualTo("Basic realm=\"dev-issuer\"");
    }

    @Test
    void introspectWhenTokenParameterMissingThenInvalidRequest() {
        Http.Response r = Http.postForm(issuer.introspectionEndpoint(), basic(DEMO_CLIENT, DEMO_SECRET), form());

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsEntry("error", "invalid_request");
    }

    @Test
    void revokeWhenOwnJwtThenInactiveEverywhere() {
        String token = issuer.userAccessToken(DEMO_USER, DEMO_CLIENT, DEFAULT_API, "openid");
        assertThat(Http.getBearer(issuer.userinfoEndpoint(), token).status()).isEqualTo(200);

        Http.Response r = revoke(DEMO_CLIENT, DEMO_SECRET, token);

        assertThat(r.status()).isEqualTo(200);
        assertThat(introspect(token).json()).containsOnly(Map.entry("active", false));
        assertThat(Http.getBearer(issuer.userinfoEndpoint(), token).status()).isEqualTo(401);
    }

    @Test
    void revokeWhenOwnOpaqueTokenThenInactive() {
        String token = issuer.opaqueToken(DEMO_CLIENT);

        assertThat(revoke(DEMO_CLIENT, DEMO_SECRET, token).status()).isEqualTo(200);

        assertThat(introspect(token).json()).containsOnly(Map.entry("active", false));
    }

    @Test
    void revokeWhenTokenOfAnotherClientThenRefusedAndStillActive() {
        String token = issuer.accessToken(ADMIN_CLIENT, DEFAULT_API);

        Http.Response r = revoke(DEMO_CLIENT, DEMO_SECRET, token);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsEntry("error", "unauthorized_client");
        assertThat(introspect(token).json()).containsEntry("active", true);
        assertThat(revoke(ADMIN_CLIENT, ADMIN_SECRET, token).status()).isEqualTo(200);
        assertThat(introspect(token).json()).containsEntry("active", false);
    }

    @Test
    void revokeWhenUnknownTokenThen200AsRfc7009Says() {
        assertThat(revoke(DEMO_CLIENT, DEMO_SECRET, "never-issued-0123456789abcdefghijkl").status()).isEqualTo(200);
    }

    @Test
    void revokeWhenBadClientThen401() {
        assertThat(revoke(DEMO_CLIENT, "wrong", "anything").status()).isEqualTo(401);
    }
}
