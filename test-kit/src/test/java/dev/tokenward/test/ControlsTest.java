package dev.tokenward.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.OpaqueTokenPolicy;
import dev.tokenward.core.Reason;
import dev.tokenward.core.TokenValidationException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hard cases a test can stage: key rollover, endpoints down and slow, request counts. */
class ControlsTest {

    TestIssuer issuer;

    @BeforeEach
    void start() {
        issuer = TestIssuer.defaults().start();
    }

    @AfterEach
    void stop() {
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
    void publishNewKeyThenUseItThenRetireTheOldOneIsACarefulRollover() throws Exception {
        String old = issuer.currentKeyId();
        String signedByOld = issuer.jwt().sign();

        String next = issuer.publishNewKey();
        assertThat(issuer.currentKeyId()).isEqualTo(old);
        assertThat(Http.rsaKids(issuer)).containsExactly(old, next);

        issuer.useKey(next);
        String signedByNext = issuer.jwt().sign();
        assertThat(Http.rsaKids(issuer)).containsExactly(next, old);
        try (AccessTokenValidator v = issuer.validator()) {
            assertThat(v.validate(signedByOld).keyId()).contains(old);
            assertThat(v.validate(signedByNext).keyId()).contains(next);
        }

        issuer.retireKey(old);
        assertThat(Http.rsaKids(issuer)).containsExactly(next);
        try (AccessTokenValidator fresh = issuer.validator()) {
            assertThat(refusal(fresh, signedByOld)).isEqualTo(Reason.UNKNOWN_KEY);
            assertThat(fresh.validate(signedByNext).subject()).isEqualTo(JwtBuilder.DEFAULT_SUBJECT);
        }
    }

    @Test
    void retireKeyWhenSigningKeyOrUnknownThenRefused() {
        assertThatThrownBy(() -> issuer.retireKey(issuer.currentKeyId())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("useKey");
        assertThatThrownBy(() -> issuer.useKey("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no published RSA key with kid nope");
    }

    @Test
    void takeDownJwksThenValidatorSaysIssuerUnavailableAndBringUpRecovers() throws Exception {
        issuer.takeDown(IssuerEndpoint.JWKS);
        Http.Response down = Http.get(issuer.jwksUri());
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.header("Retry-After")).isEqualTo("1");
        assertThat(down.json()).containsEntry("error", "temporarily_unavailable");

        try (AccessTokenValidator v = issuer.validatorBuilder().issuerRetryBackoff(Duration.ofMillis(1)).build()) {
            assertThat(refusal(v, issuer.jwt().sign())).isEqualTo(Reason.ISSUER_UNAVAILABLE);

            issuer.bringUp(IssuerEndpoint.JWKS);

            assertThat(v.validate(issuer.jwt().sign()).subject()).isEqualTo(JwtBuilder.DEFAULT_SUBJECT);
        }
        assertThat(Http.get(issuer.jwksUri()).status()).isEqualTo(200);
    }

    @Test
    void cutOffJwksThenTheConnectionClosesUnansweredAndBringUpAnswersAtTheSamePort() throws Exception {
        int port = issuer.port();
        issuer.cutOff(IssuerEndpoint.JWKS);
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest jwks = HttpRequest.newBuilder(URI.create(issuer.jwksUri())).timeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(() -> client.send(jwks, HttpResponse.BodyHandlers.ofString()))
                .as("no status, no body: an I/O error").isInstanceOf(java.io.IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);
        assertThat(issuer.requestCount(IssuerEndpoint.JWKS)).isPositive();
        assertThat(Http.get(issuer.discoveryUri()).status()).as("other endpoints keep answering").isEqualTo(200);

        try (AccessTokenValidator v = issuer.validatorBuilder().issuerRetryBackoff(Duration.ofMillis(1)).build()) {
            assertThatThrownBy(() -> v.validate(issuer.jwt().sign())).isInstanceOf(TokenValidationException.class)
                    .hasMessageContaining(issuer.jwksUri()).hasMessageContaining("could not be reached")
                    .extracting(e -> ((TokenValidationException) e).reason()).isEqualTo(Reason.ISSUER_UNAVAILABLE);

            issuer.bringUp(IssuerEndpoint.JWKS);

            assertThat(v.validate(issuer.jwt().sign()).subject()).isEqualTo(JwtBuilder.DEFAULT_SUBJECT);
        }
        assertThat(issuer.port()).isEqualTo(port);
        assertThat(Http.get(issuer.jwksUri()).status()).isEqualTo(200);
        issuer.cutOff(IssuerEndpoint.JWKS);
        issuer.reset();
        assertThat(Http.get(issuer.jwksUri()).status()).as("reset brings a cut-off endpoint back").isEqualTo(200);
    }

    @Test
    void takeDownUserinfoThenOpaqueTokensUnavailable() {
        String opaque = issuer.opaque().scopes("read:messages").issue();
        issuer.takeDown(IssuerEndpoint.USERINFO);

        try (AccessTokenValidator v = issuer.validatorBuilder().opaqueTokens(OpaqueTokenPolicy.USERINFO).build()) {
            assertThat(refusal(v, opaque)).isEqualTo(Reason.ISSUER_UNAVAILABLE);
        }
        issuer.bringUp(IssuerEndpoint.USERINFO);
        assertThat(Http.getBearer(issuer.userinfoEndpoint(), opaque).status()).isEqualTo(200);
    }

    @Test
    void requestCountCountsEachEndpointAndResetClearsIt() throws Exception {
        try (AccessTokenValidator v = issuer.validator()) {
            v.validate(issuer.jwt().sign());
            v.validate(issuer.jwt().scopes("x").sign());
        }
        Http.get(issuer.jwksUri());

        assertThat(issuer.requestCount(IssuerEndpoint.DISCOVERY)).isEqualTo(1);
        assertThat(issuer.requestCount(IssuerEndpoint.JWKS)).isEqualTo(2);
        assertThat(issuer.requestCount(IssuerEndpoint.USERINFO)).isZero();

        issuer.takeDown(IssuerEndpoint.TOKEN);
        issuer.reset();

        assertThat(issuer.requestCount(IssuerEndpoint.JWKS)).isZero();
        assertThat(Http.postForm(issuer.tokenEndpoint(), Http.form("grant_type", "client_credentials",
                "client_id", TestIssuer.DEMO_CLIENT, "client_secret", TestIssuer.DEMO_SECRET,
                "audience", TestIssuer.DEFAULT_API)).status()).isEqualTo(200);
        assertThat(issuer.requestCount(IssuerEndpoint.TOKEN)).isEqualTo(1);
    }

    @Test
    void delayThenAClientWithAShorterTimeoutGivesUpAndZeroDelayAnswersAgain() throws Exception {
        issuer.delay(IssuerEndpoint.DISCOVERY, Duration.ofSeconds(30));
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer.discoveryUri()))
                .timeout(Duration.ofMillis(300)).build();

        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(Http.get(issuer.jwksUri()).status()).isEqualTo(200); // other endpoints keep answering

        issuer.delay(IssuerEndpoint.DISCOVERY, Duration.ZERO);
        assertThat(Http.get(issuer.discoveryUri()).status()).isEqualTo(200);
        assertThatThrownBy(() -> issuer.delay(IssuerEndpoint.JWKS, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void endpointPathsAreTheOnesDiscoveryNames() {
        Http.Response discovery = Http.get(issuer.discoveryUri());
        String base = issuer.issuer().substring(0, issuer.issuer().length() - 1);

        assertThat(discovery.json()).containsEntry("jwks_uri", base + IssuerEndpoint.JWKS.path())
                .containsEntry("token_endpoint", base + IssuerEndpoint.TOKEN.path())
                .containsEntry("userinfo_endpoint", base + IssuerEndpoint.USERINFO.path())
                .containsEntry("introspection_endpoint", base + IssuerEndpoint.INTROSPECTION.path())
                .containsEntry("revocation_endpoint", base + IssuerEndpoint.REVOCATION.path());
        assertThat(issuer.discoveryUri()).isEqualTo(base + IssuerEndpoint.DISCOVERY.path());
    }
}
