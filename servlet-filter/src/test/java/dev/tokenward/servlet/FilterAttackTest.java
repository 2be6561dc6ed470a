package dev.tokenward.servlet;

import static dev.tokenward.servlet.Issuers.jwt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.servlet.JettyApp.Answer;
import dev.tokenward.test.TestIssuer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A few attacks of core's AttackCatalogueTest, end to end through Jetty and the filter: the exact
 * status and RFC 6750 {@code error} a client sees, and that nothing leaks into other headers.
 */
class FilterAttackTest {
  static TestIssuer issuer;
  static MockWebServer attacker;
  static JettyApp app;

  @BeforeAll
  static void start() throws Exception {
    issuer = Issuers.start();
    attacker = new MockWebServer();
    attacker.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
    AccessTokenValidator validator = issuer.validator();
    app = JettyApp.withFilter(BearerTokenFilter.builder(validator).authenticated("/api/private").build(), context -> { });
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    attacker.shutdown();
    issuer.close();
  }

  private static void assertError(Answer a, int status, String error) {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    assertThat(a.header("WWW-Authenticate")).startsWith("Bearer realm=\"tokenward\", error=\"" + error + "\", error_description=\"");
    assertThat(a.body()).startsWith("{\"error\":\"" + error + "\",");
    assertThat(a.header("Cache-Control")).isEqualTo("no-store");
  }

  // Issue #10 item 16 (regression): a request without credentials got error_description in the challenge and the body,
  // which RFC 6750 section 3.1 forbids; failed on the old code at the challenge assertion.
  @Test
  void noCredentialsIs401WithoutAnyErrorInformation() throws Exception {
    Answer a = app.get("/api/private");
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.headers().get("WWW-Authenticate"))
        .containsExactly("Bearer realm=\"tokenward\"", "DPoP realm=\"tokenward\", " + BearerTokenFilterTest.DPOP_ALGS);
    assertThat(a.body()).isEqualTo("{\"message\":\"this resource requires a bearer access token in the Authorization header\"}");
    assertThat(a.header("Cache-Control")).isEqualTo("no-store");
  }

  // Issue #10 item 4 (regression): a typo in a rule became a required scope ("al-of", "Authenticated"); it is a
  // configuration error naming the rule. No exception on the old code.
  @Test
  void ruleWithMisspelledOrMiscasedKeywordIsAConfigurationError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PathRule.parse("/orders", "al-of read:orders"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("path rule /orders = 'al-of read:orders': "
            + "'al-of' is not a keyword: did you mean 'all-of'?");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PathRule.parse("/orders", "Authenticated"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("path rule /orders = 'Authenticated': "
            + "'Authenticated' is not a keyword: did you mean 'authenticated'?");
  }

  // Issue #10 item 2 (regression): a @RequiresScopes servlet whose class the filter could not load answered 200 to a
  // request without a token (a WARN was logged); now 500, the servlet never runs.
  @Test
  void servletWhoseClassCannotBeLoadedIs500NotOpen() throws Exception {
    AccessTokenValidator validator = issuer.validator();
    try (JettyApp other = JettyApp.withFilter(BearerTokenFilter.builder(validator).build(), context -> context.addServlet(
        new org.eclipse.jetty.ee10.servlet.ServletHolder("unloadable", ServletAnnotationTest.unloadableWriteScoped()),
        "/hidden"))) {
      Answer a = other.get("/hidden");
      assertThat(a.status()).isEqualTo(500);
      assertThat(a.body()).doesNotContain("principal=");
    }
  }

  // Issue #10 item 3 (regression): require("/orders", ...) with the servlet at /orders/* left /orders/42 unprotected
  // without a word. An exact rule still covers only its path, but init now warns (no WARN on the old code, so this
  // failed there), and the prefix rule /orders/* protects /orders and everything below it.
  @Test
  void exactRuleUnderWildcardMappingIsWarnedAndThePrefixRuleCoversThePathsBelow() throws Exception {
    AccessTokenValidator validator = issuer.validator();
    long before = java.nio.file.Files.exists(NoTokenInLogsTest.LOG) ? java.nio.file.Files.size(NoTokenInLogsTest.LOG) : 0;
    try (JettyApp exact = JettyApp.withFilter(BearerTokenFilter.builder(validator)
        .require("/orders", dev.tokenward.core.Requirement.allOf("read:orders")).build(),
        context -> context.addServlet(TestServlets.Echo.class, "/orders/*"))) {
      assertThat(exact.get("/orders").status()).isEqualTo(401);
      assertThat(exact.get("/orders/42").status()).isEqualTo(200); // exact means exact, hence the warning
    }
    byte[] all = java.nio.file.Files.readAllBytes(NoTokenInLogsTest.LOG);
    assertThat(new String(all, (int) before, all.length - (int) before, StandardCharsets.UTF_8)).contains(
        "WARN dev.tokenward.servlet.BearerTokenFilter - tokenward: the rule for /orders is exact, but servlet '",
        "' is mapped to /orders/*, so /orders/... reaches it without that rule; use /orders/* to cover /orders and "
            + "every path below it");
    try (JettyApp prefix = JettyApp.withFilter(BearerTokenFilter.builder(validator)
        .require("/orders/*", dev.tokenward.core.Requirement.allOf("read:orders")).build(),
        context -> context.addServlet(TestServlets.Echo.class, "/orders/*"))) {
      assertThat(prefix.get("/orders").status()).isEqualTo(401);
      assertThat(prefix.get("/orders/42").status()).isEqualTo(401);
      Answer lacking = prefix.getWithToken("/orders/42", jwt(issuer).sign());
      assertThat(lacking.status()).isEqualTo(403);
      assertThat(lacking.header("WWW-Authenticate")).endsWith("scope=\"read:orders\"");
      assertThat(prefix.getWithToken("/orders/42", jwt(issuer).claim("scope", "read:orders").sign()).status())
          .isEqualTo(200);
    }
  }

  @Test
  void algNoneIs401InvalidToken() throws Exception {
    assertError(app.getWithToken("/api/private", jwt(issuer).header("alg", "none").unsigned("AA")), 401, "invalid_token");
    assertError(app.getWithToken("/api/private", jwt(issuer).header("alg", "nOnE").unsigned("")), 401, "invalid_token");
  }

  @Test
  void jkuInjectionIs401AndTheAttackerIsNeverAsked() throws Exception {
    String token = jwt(issuer).wronglySigned().keyId("attacker-1").header("jku", attacker.url("/jwks.json").toString()).sign();
    assertError(app.getWithToken("/api/private", token), 401, "invalid_token");
    assertThat(attacker.getRequestCount()).isZero();
  }

  @Test
  void kidCarryingHeadersCannotInjectIntoTheAnswer() throws Exception {
    String token = jwt(issuer).wronglySigned().keyId("x\r\nSet-Cookie: session=attacker\r\n\r\n<html>").sign();
    Answer a = app.getWithToken("/api/private", token);
    assertError(a, 401, "invalid_token");
    assertThat(a.headers()).doesNotContainKey("Set-Cookie");
    assertThat(a.header("WWW-Authenticate")).doesNotContain("\r", "\n", "<html>\"");
  }

  // A bare CR inside the Authorization header never reaches the filter: Jetty refuses the request.
  @Test
  void carriageReturnInTheAuthorizationHeaderIsRefusedByTheContainer() throws Exception {
    String status = rawRequest("GET /app/api/private HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer abc\rX-Injected: 1\r\nConnection: close\r\n\r\n");
    assertThat(status).startsWith("HTTP/1.1 400");
  }

  // The container's header-size limit (Jetty: 8 KiB by default) answers first, before any decoding.
  @Test
  void oneMegabyteAuthorizationHeaderIs431() throws Exception {
    // Jetty may answer and close while OkHttp is still writing the megabyte; OkHttp then fails the call on its side
    // ("state: 0") without a response. Such a client-side race is retried; whatever answer arrives must be 431.
    Answer a = null;
    for (int attempt = 0; a == null; attempt++) {
      try {
        a = app.getWithToken("/api/private", "A".repeat(1024 * 1024));
      } catch (java.io.IOException | IllegalStateException clientRace) {
        if (attempt == 4) {
          throw clientRace;
        }
      }
    }
    assertThat(a.status()).isEqualTo(431);
  }

  // A large token under the container limit reaches the filter: an opaque token, refused.
  @Test
  void largeOpaqueTokenUnderTheContainerLimitIs401() throws Exception {
    Answer a = app.getWithToken("/api/private", "A".repeat(6 * 1024));
    assertError(a, 401, "invalid_token");
  }

  private static String rawRequest(String request) throws Exception {
    URI base = URI.create(app.url("/"));
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return answer.lines().findFirst().orElse("");
    }
  }
}
