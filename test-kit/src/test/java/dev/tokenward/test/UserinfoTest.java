package dev.tokenward.test;

import static dev.tokenward.test.TestIssuer.ADMIN_CLIENT;
import static dev.tokenward.test.TestIssuer.DEFAULT_API;
import static dev.tokenward.test.TestIssuer.DEMO_CLIENT;
import static dev.tokenward.test.TestIssuer.DEMO_PASSWORD;
import static dev.tokenward.test.TestIssuer.DEMO_SECRET;
import static dev.tokenward.test.TestIssuer.DEMO_USER;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserinfoTest {

    TestClock clock = TestClock.at(Instant.parse("2025-06-01T12:00:00Z"));
    TestIssuer issuer;

    @BeforeEach
    void start() {
        issuer = TestIssuer.defaultsBuilder().clock(clock).build().start();
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private void assertInvalidToken(Http.Response r) {
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer ").contains("error=\"invalid_token\"");
        assertThat(r.json()).containsEntry("error", "invalid_token");
    }

    @Test
    void userinfoWhenOpaqueUserTokenFromEndpointThenProfileScopeAndPermissions() {
        Http.Response t = Http.postForm(issuer.tokenEndpoint(), Http.form("grant_type", "password",
                "client_id", DEMO_CLIENT, "client_secret", DEMO_SECRET, "username", DEMO_USER,
                "password", DEMO_PASSWORD, "scope", "openid profile email read:messages"));

        Http.Response r = Http.getBearer(issuer.userinfoEndpoint(), t.string("access_token"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).containsOnly(
                Map.entry("sub", TestIssuer.defaultUserId(DEMO_USER)),
                Map.entry("nickname", "demo"),
                Map.entry("name", "Demo User"),
                Map.entry("updated_at", "2025-06-01T12:00:00.000Z"),
                Map.entry("email", DEMO_USER),
                Map.entry("email_verified", true),
                Map.entry("scope", "openid profile email read:messages"),
                Map.entry("permissions", List.of("read:messages")));
    }

    @Test
    void userinfoWhenOpaqueUserTokenWithoutProfileScopesThenOnlySub() {
        String token = issuer.opaqueUserToken(DEMO_USER, DEMO_CLIENT, "openid");

        Http.Response r = Http.getBearer(issuer.userinfoEndpoint(), token);

        assertThat(r.json()).containsOnly(Map.entry("sub", TestIssuer.defaultUserId(DEMO_USER)),
                Map.entry("scope", "openid"));
    }

    @Test
    void userinfoWhenOpaqueClientTokenThenClientSubWithScope() {
        String token = issuer.opaqueToken(ADMIN_CLIENT);

        Http.Response r = Http.getBearer(issuer.userinfoEndpoint(), token);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).containsOnly(Map.entry("sub", "admin-client@clients"),
                Map.entry("scope", "read:messages admin:all"),
                Map.entry("permissions", List.of("read:messages", "admin:all")));
    }

    @Test
    void userinfoWhenJwtWithUserinfoAudienceThenAcceptedWithoutScopes() {
        String token = issuer.userAccessToken(DEMO_USER, DEMO_CLIENT, DEFAULT_API, "openid", "email");

        Http.Response r = Http.getBearer(issuer.userinfoEndpoint(), token);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).containsOnly(Map.entry("sub", TestIssuer.defaultUserId(DEMO_USER)),
                Map.entry("email", DEMO_USER), Map.entry("email_verified", true));
    }

    @Test
    void userinfoWhenJwtOnlyForApiThenInvalidToken() {
        String token = issuer.accessToken(DEMO_CLIENT, DEFAULT_API);

        assertInvalidToken(Http.getBearer(issuer.userinfoEndpoint(), token));
    }

    @Test
    void userinfoWhenUnknownTokenThenInvalidToken() {
        assertInvalidToken(Http.getBearer(issuer.userinfoEndpoint(), "not-a-token-this-issuer-ever-issued-1234"));
        assertInvalidToken(Http.getBearer(issuer.userinfoEndpoint(), "a.b.c"));
    }

    @Test
    void userinfoWhenOpaqueTokenExpiredThenInvalidToken() {
        String token = issuer.opaqueToken(DEMO_CLIENT);
        clock.advance(Duration.ofSeconds(86_399));
        assertThat(Http.getBearer(issuer.userinfoEndpoint(), token).status()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(1));

        assertInvalidToken(Http.getBearer(issuer.userinfoEndpoint(), token));
    }

    @Test
    void userinfoWhenJwtExpiredThenInvalidToken() {
        String token = issuer.userAccessToken(DEMO_USER, DEMO_CLIENT, DEFAULT_API, "openid");
        clock.advance(Duration.ofSeconds(86_400));

        assertInvalidToken(Http.getBearer(issuer.userinfoEndpoint(), token));
    }

    @Test
    void userinfoWhenTokenRevokedThenInvalidToken() {
        String token = issuer.opaqueToken(DEMO_CLIENT);
        issuer.revoke(token);

        assertInvalidToken(Http.getBearer(issuer.userinfoEndpoint(), token));
    }

    @Test
    void userinfoWhenNoAuthorizationThen401WithBearerChallenge() {
        Http.Response r = Http.get(issuer.userinfoEndpoint());

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"dev-issuer\"");
    }

    @Test
    void userinfoWhenPostThen405() {
        Http.Response r = Http.send(HttpRequest.newBuilder(URI.create(issuer.userinfoEndpoint()))
                .POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(r.status()).isEqualTo(405);
    }
}
