package dev.tokenward.test;

import static dev.tokenward.test.TestIssuer.ADMIN_CLIENT;
import static dev.tokenward.test.TestIssuer.DEFAULT_API;
import static dev.tokenward.test.TestIssuer.DEMO_CLIENT;
import static dev.tokenward.test.TestIssuer.DEMO_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    @Test
    void startWhenPortZeroThenBindsLoopbackAndIssuerHasTrailingSlash() {
        try (TestIssuer issuer = TestIssuer.defaults().start()) {
            assertThat(issuer.port()).isPositive();
            assertThat(issuer.issuer()).isEqualTo("http://127.0.0.1:" + issuer.port() + "/");
            assertThat(Http.get(issuer.jwksUri()).status()).isEqualTo(200);
        }
    }

    @Test
    void startWhenFixedPortThenUsesIt() throws IOException {
        try (TestIssuer issuer = startOnAPortFoundFree()) {
            int port = issuer.port();
            assertThat(issuer.issuer()).isEqualTo("http://127.0.0.1:" + port + "/");
            assertThat(Http.get(issuer.discoveryUri()).json()).containsEntry("issuer", issuer.issuer());
        }
    }

    /**
     * A port seen free here can be taken before the issuer binds it: then (a bind failure) another
     * is tried, three times at most.
     */
    private static TestIssuer startOnAPortFoundFree() throws IOException {
        for (int attempt = 1; ; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                port = probe.getLocalPort();
            }
            TestIssuer issuer = TestIssuer.defaultsBuilder().port(port).build();
            try {
                issuer.start();
                assertThat(issuer.port()).isEqualTo(port);
                return issuer;
            } catch (UncheckedIOException taken) {
                if (attempt == 3) {
                    throw taken;
                }
            }
        }
    }

    @Test
    void closeWhenCalledThenPortReleasedAndIdempotent() {
        TestIssuer issuer = TestIssuer.defaults().start();
        String jwks = issuer.jwksUri();
        issuer.close();
        issuer.close();

        HttpClient client = HttpClient.newHttpClient();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create(jwks)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
        assertThatThrownBy(issuer::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void mintWhenNotStartedThenIllegalState() {
        TestIssuer issuer = TestIssuer.defaults();

        assertThatThrownBy(issuer::issuer).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> issuer.accessToken(DEMO_CLIENT, DEFAULT_API)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void builderWhenClientAuthorizedForUnknownApiOrScopeThenRejected() {
        assertThatThrownBy(() -> TestIssuer.builder().client("c", "s", c -> c.authorize("https://nope")).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestIssuer.builder().api("https://a", "read").client("c", "s",
                c -> c.authorize("https://a", "write")).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestIssuer.builder().user("u", "p", u -> u.permissions("https://nope", "x")).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestIssuer.builder().hs256Api("https://a", "too-short"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokenWhenManyConcurrentRequestsThenAllSucceedWithDistinctTokens() throws Exception {
        try (TestIssuer issuer = TestIssuer.defaults().start()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<String>> calls = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    boolean opaque = i % 2 == 0;
                    calls.add(() -> {
                        Http.Response r = opaque
                                ? Http.postForm(issuer.tokenEndpoint(), Http.basic(DEMO_CLIENT, DEMO_SECRET),
                                        Http.form("grant_type", "client_credentials"))
                                : Http.postForm(issuer.tokenEndpoint(), Http.basic(DEMO_CLIENT, DEMO_SECRET),
                                        Http.form("grant_type", "client_credentials", "audience", DEFAULT_API));
                        assertThat(r.status()).isEqualTo(200);
                        return r.string("access_token");
                    });
                }
                List<String> tokens = new ArrayList<>();
                for (Future<String> f : pool.invokeAll(calls)) {
                    tokens.add(f.get());
                }
                // JWTs minted in the same second for the same client are identical, like Auth0's would be;
                // the 20 opaque tokens must all differ
                assertThat(tokens.stream().filter(t -> !t.contains(".")).distinct()).hasSize(20);
                assertThat(tokens).allSatisfy(t -> assertThat(Http.postForm(issuer.introspectionEndpoint(),
                        Http.basic(ADMIN_CLIENT, TestIssuer.ADMIN_SECRET), Http.form("token", t)).json())
                        .containsEntry("active", true));
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
