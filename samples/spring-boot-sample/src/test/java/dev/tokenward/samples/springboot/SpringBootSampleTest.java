package dev.tokenward.samples.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.test.TestIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Boots the Spring Boot application on embedded Tomcat (free port on 127.0.0.1) against the test kit's issuer, and
 * checks over HTTP that the filter registered with a FilterRegistrationBean answers 200, 401 and 403 exactly as the
 * filter does everywhere else.
 */
class SpringBootSampleTest {
  static final String CHALLENGE = "Bearer realm=\"tokenward\"";
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  static TestIssuer issuer;
  static ConfigurableApplicationContext app;
  static String base;

  @BeforeAll
  static void start() {
    issuer = TestIssuer.defaults().start();
    app = new SpringApplicationBuilder(SpringBootSample.class)
        .properties("server.port=0", "server.address=127.0.0.1",
            "tokenward.issuer=" + issuer.issuer(), "tokenward.audience=" + TestIssuer.DEFAULT_API)
        .run();
    base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (issuer != null) {
      issuer.close();
    }
  }

  @Test
  void requestWhenTokenGrantsScopeThen200FromTheController() throws Exception {
    HttpResponse<String> r = get("/api/private-scoped", issuer.accessToken(TestIssuer.DEMO_CLIENT, TestIssuer.DEFAULT_API));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"sub\":\"demo-client@clients\"").contains("\"scopes\":[\"read:messages\"]");
    assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
  }

  @Test
  void requestWhenPublicThen200WithoutToken() throws Exception {
    HttpResponse<String> r = get("/api/public", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"message\":\"public: no token needed\"}");
  }

  @Test
  void requestWhenNoTokenThen401WithBareChallengeBeforeSpringMvc() throws Exception {
    HttpResponse<String> r = get("/api/private", null);
    assertThat(r.statusCode()).isEqualTo(401);
    // DPoP is allowed by default: the Bearer challenge and a DPoP one (RFC 9449 section 7.1)
    assertThat(r.headers().allValues("WWW-Authenticate")).containsExactly(CHALLENGE,
        "DPoP realm=\"tokenward\", algs=\"ES256 EdDSA Ed25519 RS256 PS256\"");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
  }

  @Test
  void requestWhenOpaqueTokenThen401InvalidToken() throws Exception {
    HttpResponse<String> r = get("/api/private", issuer.opaqueToken(TestIssuer.DEMO_CLIENT));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().allValues("WWW-Authenticate")).singleElement().asString()
        .startsWith(CHALLENGE + ", error=\"invalid_token\", error_description=\"the token is not a JWT");
  }

  @Test
  void requestWhenTokenLacksScopeThen403InsufficientScope() throws Exception {
    HttpResponse<String> r = get("/api/private-scoped", issuer.accessToken(TestIssuer.LIMITED_CLIENT, TestIssuer.DEFAULT_API));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().allValues("WWW-Authenticate")).containsExactly(CHALLENGE
        + ", error=\"insufficient_scope\", error_description=\"the token lacks the required scope or permission read:messages\""
        + ", scope=\"read:messages\"");
  }

  @Test
  void startWhenAudienceMissingThenApplicationDoesNotStart() {
    assertThatThrownBy(() -> new SpringApplicationBuilder(SpringBootSample.class)
        .properties("server.port=0", "server.address=127.0.0.1", "tokenward.issuer=" + issuer.issuer())
        .run())
        .hasStackTraceContaining("tokenward.audience");
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
