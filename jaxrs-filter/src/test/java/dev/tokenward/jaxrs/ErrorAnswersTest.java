package dev.tokenward.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.BearerErrorResponse;
import dev.tokenward.test.IssuerEndpoint;
import dev.tokenward.test.TestIssuer;
import dev.tokenward.jaxrs.resources.ApiResource;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The RFC 6750 answers of the contract (Errors section), exactly, from a real Jersey runtime. */
class ErrorAnswersTest {
  private static final String MISSING = "this resource requires a bearer access token in the Authorization header";
  private static final Pattern CHALLENGE = Pattern.compile(
      "Bearer realm=\"tokenward\", error=\"([a-z_]+)\", error_description=\"([^\"]+)\"(, scope=\"([^\"]+)\")?");

  private static Fixture app;

  @BeforeAll
  static void start() {
    app = new Fixture(ApiResource.class);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  /**
   * Asserts an error answer: status, {@code Cache-Control: no-store}, {@code Content-Type:
   * application/json}, a challenge with this error code, and a body carrying the same code and
   * description as the challenge. Returns the description.
   */
  private static String assertError(HttpResponse<String> response, int status, String error) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
    assertThat(response.headers().allValues("Content-Type")).containsExactly("application/json");
    List<String> challenges = response.headers().allValues("WWW-Authenticate");
    assertThat(challenges).hasSize(1);
    Matcher m = CHALLENGE.matcher(challenges.get(0));
    assertThat(m.matches()).as("challenge %s", challenges.get(0)).isTrue();
    assertThat(m.group(1)).isEqualTo(error);
    String description = m.group(2);
    assertThat(response.body()).isEqualTo("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
    return description;
  }

  private static void assertMissingToken(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().allValues("WWW-Authenticate")) // RFC 6750 section 3.1: no error information;
        .containsExactly("Bearer realm=\"tokenward\"", "DPoP realm=\"tokenward\", algs=\"ES256 EdDSA Ed25519 RS256 PS256\""); // DPoP allowed: both challenges
    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
    assertThat(response.headers().allValues("Content-Type")).containsExactly("application/json");
    assertThat(response.body()).isEqualTo("{\"message\":\"" + MISSING + "\"}");
    assertThat(response.headers().firstValue("Retry-After")).isEmpty();
  }

  @Test
  void requestWhenNoCredentialsThen401ChallengeWithoutErrorCode() throws Exception {
    assertMissingToken(app.server.get("api/private"));
  }

  @Test
  void requestWhenAnswerComesFromCoreThenItIsCoresAnswerUnchanged() throws Exception {
    BearerErrorResponse expected;
    try {
      app.validator.validate(dev.tokenward.core.TokenRequest.builder("GET", "http://localhost/api/private").build());
      throw new AssertionError("a request without credentials was accepted");
    } catch (dev.tokenward.core.TokenValidationException e) {
      expected = BearerErrorResponse.of(e, "tokenward");
    }
    HttpResponse<String> response = app.server.get("api/private");
    assertThat(response.statusCode()).isEqualTo(expected.status());
    BearerErrorResponse core = expected;
    core.headers().forEach((name, value) -> assertThat(response.headers().allValues(name))
        .containsExactlyElementsOf(name.equals("WWW-Authenticate") ? core.challenges() : java.util.List.of(value)));
    assertThat(response.body()).isEqualTo(expected.body());
  }

  @Test
  void requestWhenOtherSchemeThen401ChallengeWithoutErrorCode() throws Exception {
    assertMissingToken(app.server.get("api/private", "Authorization", "Basic dXNlcjpwYXNz"));
  }

  @Test
  void requestWhenSchemeInLowerCaseThenTokenAccepted() throws Exception {
    assertThat(app.server.get("api/private", "Authorization", "bearer " + app.token()).statusCode()).isEqualTo(200);
    assertThat(app.server.get("api/private", "Authorization", "BEARER " + app.token()).statusCode()).isEqualTo(200);
  }

  @Test
  void requestWhenBearerValueEmptyThen400InvalidRequest() throws Exception {
    assertThat(assertError(app.server.get("api/private", "Authorization", "Bearer"), 400, "invalid_request"))
        .isEqualTo("empty token in the Authorization header");
  }

  @Test
  void requestWhenTokenHasCharacterOutsideB64TokenThen400InvalidRequest() throws Exception {
    assertThat(assertError(app.server.get("api/private", "Authorization", "Bearer abc$def"), 400, "invalid_request"))
        .isEqualTo("a character outside the RFC 6750 b64token alphabet in the Authorization header");
  }

  @Test
  void requestWhenTwoAuthorizationHeadersThen400InvalidRequest() throws Exception {
    HttpResponse<String> response = app.server.send(app.server.request("api/private")
        .header("Authorization", "Bearer " + app.token()).header("Authorization", "Bearer " + app.token()).GET().build());
    assertThat(assertError(response, 400, "invalid_request"))
        .isEqualTo("the request has 2 Authorization headers; send exactly one");
  }

  @Test
  void requestWhenQueryTokenAndQueryNotAllowedThenItIsIgnored() throws Exception {
    assertMissingToken(app.server.get("api/private?access_token=" + app.token()));
  }

  @Test
  void requestWhenTokenExpiredThen401InvalidTokenNamingExp() throws Exception {
    long past = Instant.now().getEpochSecond() - 7200;
    String expired = app.jwt().claim("iat", past - 3600).claim("exp", past).sign();
    assertThat(assertError(app.server.getWithToken("api/private", expired), 401, "invalid_token"))
        .startsWith("token expired ").contains("'exp' " + past);
  }

  @Test
  void requestWhenWrongAudienceThen401InvalidToken() throws Exception {
    String other = app.jwt().claim("aud", "https://other.api").sign();
    assertThat(assertError(app.server.getWithToken("api/private", other), 401, "invalid_token"))
        .contains("https://other.api").contains(Fixture.AUDIENCE);
  }

  @Test
  void requestWhenSignatureForgedThen401InvalidToken() throws Exception {
    String forged = app.jwt().wronglySigned().sign();
    assertError(app.server.getWithToken("api/private", forged), 401, "invalid_token");
  }

  @Test
  void requestWhenMalformedJwtThen401InvalidToken() throws Exception {
    assertError(app.server.getWithToken("api/private", "a.b.c"), 401, "invalid_token");
  }

  @Test
  void requestWhenIdTokenThen401InvalidTokenWithAdvice() throws Exception {
    String idToken = app.jwt().claim("aud", "client-1").claim("nonce", "n").claim("scope", null)
        .header("typ", "JWT").sign();
    assertThat(assertError(app.server.getWithToken("api/private", idToken), 401, "invalid_token"))
        .contains("ID token");
  }

  @Test
  void requestWhenOpaqueTokenAndOpaqueRejectedThen401InvalidToken() throws Exception {
    assertThat(assertError(app.server.getWithToken("api/private", "opaque-token-123"), 401, "invalid_token"))
        .contains("opaque tokens are rejected");
  }

  @Test
  void requestWhenScopeMissingThen403InsufficientScopeWithScopeAttribute() throws Exception {
    HttpResponse<String> response = app.server.getWithToken("api/scoped-all", app.token());
    assertThat(assertError(response, 403, "insufficient_scope")).isEqualTo("the token lacks the required scope write:messages");
    assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
        .endsWith(", scope=\"read:messages write:messages\"");
    assertThat(response.headers().firstValue("Retry-After")).isEmpty();
  }

  @Test
  void requestWhenIssuerKeysUnreachableThen503TemporarilyUnavailableWithRetryAfter() throws Exception {
    try (TestIssuer down = Fixture.issuer()) {
      down.takeDown(IssuerEndpoint.JWKS);
      AccessTokenValidator validator = down.validator();
      try (TestServer server = TestServer.start(TokenwardFeature.builder(validator).build(),
          ApiResource.class)) {
        HttpResponse<String> response = server.getWithToken("api/private", Fixture.jwt(down).sign());
        assertThat(assertError(response, 503, "temporarily_unavailable")).contains("JWKS");
        assertThat(response.headers().allValues("Retry-After")).hasSize(1);
        assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 5L);
      }
    }
  }

  @Test
  void requestWhenRealmConfiguredThenChallengeNamesIt() throws Exception {
    try (TestServer server = TestServer.start(TokenwardFeature.builder(app.validator).realm("orders").build(),
        ApiResource.class)) {
      assertThat(server.get("api/private").headers().allValues("WWW-Authenticate"))
          .containsExactly("Bearer realm=\"orders\"", "DPoP realm=\"orders\", algs=\"ES256 EdDSA Ed25519 RS256 PS256\"");
    }
  }

  @Test
  void requestWhenRefusedThenReasonIsLoggedButNeverTheToken() throws Exception {
    long past = Instant.now().getEpochSecond() - 7200;
    String expired = app.jwt().claim("sub", "auth0|logged").claim("iat", past - 60).claim("exp", past).sign();
    String signature = expired.substring(expired.lastIndexOf('.') + 1);
    String log = capturingStandardError(() -> {
      app.server.getWithToken("api/private", expired);
      app.server.get("api/private", "Authorization", "Bearer " + signature + "$");
    });
    assertThat(log).contains("refused GET /api/private: EXPIRED").contains("refused GET /api/private: INVALID_REQUEST");
    assertThat(log).doesNotContain(signature).doesNotContain(expired.substring(0, expired.indexOf('.')));
  }

  interface Action {
    void run() throws Exception;
  }

  private static String capturingStandardError(Action action) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        captured.write(b);
        original.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        captured.write(b, off, len);
        original.write(b, off, len);
      }
    }, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
