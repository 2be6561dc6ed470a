package dev.tokenward.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.jaxrs.resources.ApiResource;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A few attacks of core's AttackCatalogueTest, end to end through Jersey on Grizzly and the feature:
 * the exact status and RFC 6750 {@code error} a client sees, and that nothing leaks into other headers.
 */
class FilterAttackTest {
  private static Fixture app;
  private static MockWebServer attacker;

  @BeforeAll
  static void start() throws Exception {
    app = new Fixture(ApiResource.class);
    attacker = new MockWebServer();
    attacker.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterAll
  static void stop() throws Exception {
    attacker.shutdown();
    app.close();
  }

  private static void assertError(HttpResponse<String> response, int status, String error) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().allValues("WWW-Authenticate")).singleElement().asString()
        .startsWith("Bearer realm=\"tokenward\", error=\"" + error + "\", error_description=\"");
    assertThat(response.body()).startsWith("{\"error\":\"" + error + "\",");
    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
  }

  // Issue #10 item 16 (regression): a request without credentials got error_description in the challenge and the body,
  // which RFC 6750 section 3.1 forbids; failed on the old code at the challenge assertion.
  @Test
  void noCredentialsIs401WithoutAnyErrorInformation() throws Exception {
    HttpResponse<String> response = app.server.get("api/private");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"tokenward\"",
        "DPoP realm=\"tokenward\", algs=\"ES256 EdDSA Ed25519 RS256 PS256\"");
    assertThat(response.body())
        .isEqualTo("{\"message\":\"this resource requires a bearer access token in the Authorization header\"}");
    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
  }

  // Issue #10 item 1 (regression): @RequiresScopes("admin:all") on a sub-resource locator was never applied: 200 to a
  // token holding only read:messages on the old code. Now 403 insufficient_scope, on Jersey and on RESTEasy.
  @Test
  void locatorRuleIsEnforcedAtRequestTime() throws Exception {
    try (Fixture locators = new Fixture(dev.tokenward.jaxrs.resources.Locators.Root.class)) {
      HttpResponse<String> response = locators.server.getWithToken("locators/admin", locators.token());
      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"tokenward\", "
          + "error=\"insufficient_scope\", error_description=\"the token lacks the required scope admin:all\", "
          + "scope=\"admin:all\"");
    }
  }

  // Issue #10 item 12 (regression): with form tokens enabled, the whole body was read into memory before any decision
  // (48 MiB before a 401); 401 on the old code here. Now a body over the limit (64 KiB) is 400 invalid_request.
  @Test
  void oversizedFormBodyIs400WhenFormTokensAreEnabled() throws Exception {
    try (Fixture forms = new Fixture(b -> b.tokenExtractor(dev.tokenward.core.BearerTokenExtractor.of(false, true)),
        ApiResource.class)) {
      HttpResponse<String> response = TestServer.send(forms.server.request("api/form")
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("note=" + "x".repeat(1024 * 1024))).build());
      assertError(response, 400, "invalid_request");
      assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
          .contains("the form body is larger than 65536 bytes");
    }
  }

  @Test
  void algNoneIs401InvalidToken() throws Exception {
    assertError(app.server.getWithToken("api/private", app.jwt().header("alg", "none").unsigned("AA")), 401,
        "invalid_token");
    assertError(app.server.getWithToken("api/private", app.jwt().header("alg", "nOnE").unsigned("")), 401,
        "invalid_token");
  }

  @Test
  void jkuInjectionIs401AndTheAttackerIsNeverAsked() throws Exception {
    String token = app.jwt().wronglySigned().keyId("attacker-1").header("jku", attacker.url("/jwks.json").toString()).sign();
    assertError(app.server.getWithToken("api/private", token), 401, "invalid_token");
    assertThat(attacker.getRequestCount()).isZero();
  }

  @Test
  void kidCarryingHeadersCannotInjectIntoTheAnswer() throws Exception {
    String token = app.jwt().wronglySigned().keyId("x\r\nSet-Cookie: session=attacker\r\n\r\n<html>")
        .sign();
    HttpResponse<String> response = app.server.getWithToken("api/private", token);
    assertError(response, 401, "invalid_token");
    assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(response.headers().allValues("WWW-Authenticate").get(0)).doesNotContain("\r", "\n", "<html>\"");
  }

  // A bare CR inside the Authorization header never reaches the feature whole: Grizzly refuses the request (400),
  // Undertow ends the header at the CR, so the feature sees the token "abc" and refuses it (401 invalid_token).
  @Test
  void carriageReturnInTheAuthorizationHeaderIsRefused() throws Exception {
    String status = rawRequest("GET /api/private HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer abc\rX-Injected: 1\r\nConnection: close\r\n\r\n");
    assertThat(status).startsWith(TestServer.JERSEY ? "HTTP/1.1 400" : "HTTP/1.1 401");
  }

  // The container's header-size limit (Grizzly: 8 KiB by default) answers first, before any decoding;
  // Grizzly says 400 where Jetty says 431.
  @Test
  void oneMegabyteAuthorizationHeaderIs400FromTheContainer() throws Exception {
    String status = rawRequest("GET /api/private HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + "A".repeat(1024 * 1024) + "\r\nConnection: close\r\n\r\n");
    assertThat(status).startsWith("HTTP/1.1 400");
  }

  // A large token under the container limit reaches the feature: an opaque token, refused.
  @Test
  void largeOpaqueTokenUnderTheContainerLimitIs401() throws Exception {
    assertError(app.server.getWithToken("api/private", "A".repeat(6 * 1024)), 401, "invalid_token");
  }

  /** Sends raw bytes and returns the status line; empty if the server just closed the connection. */
  private static String rawRequest(String request) throws Exception {
    java.net.URI base = app.server.request("").build().uri();
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      } catch (java.io.IOException closedWhileWriting) {
        // the server may answer and close before the whole request is written
      }
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return answer.lines().findFirst().orElse("");
    }
  }
}
