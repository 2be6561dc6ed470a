package dev.tokenward.servlet;

import static dev.tokenward.servlet.Issuers.jwt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.Requirement;
import dev.tokenward.servlet.JettyApp.Answer;
import dev.tokenward.test.TestIssuer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runtime contract (SAMPLES-CONTRACT.md, Errors) over real HTTP, for a programmatically configured filter. */
class BearerTokenFilterTest {
  static final String REALM = "Bearer realm=\"tokenward\"";
  /** The second challenge of a request without credentials while DPoP is allowed (the default; RFC 9449 section 7.1). */
  static final String DPOP_ALGS = "algs=\"ES256 EdDSA Ed25519 RS256 PS256\"";
  static final String NO_TOKEN = "this resource requires a bearer access token in the Authorization header";

  static TestIssuer issuer;
  static JettyApp app;

  /** Registers the filter the way the README shows: from a ServletContextListener. */
  public static class Security implements ServletContextListener {
    @Override
    public void contextInitialized(ServletContextEvent e) {
      AccessTokenValidator validator = AccessTokenValidator.builder()
          .issuer(issuer.issuer()).audience(Issuers.AUDIENCE).build();
      BearerTokenFilter filter = BearerTokenFilter.builder(validator)
          .authenticated("/api/private")
          .require("/api/private-scoped", Requirement.allOf("read:messages"))
          .require("/api/admin", Requirement.anyOf("admin:all"))
          .rule(PathRule.parse("/api/reports/*", "all-scopes read:reports; any-permission export:csv export:pdf"))
          .rule(PathRule.authenticated("/api/online").withOnlineCheck())
          .build();
      e.getServletContext().addFilter("tokenward", filter)
          .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    }
  }

  @BeforeAll
  static void start() throws Exception {
    issuer = Issuers.start();
    app = JettyApp.start(context -> context.addEventListener(new Security()));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    issuer.close();
  }

  // ---- no token, other schemes, malformed requests ----

  @Test
  void requestWhenNoTokenThen401WithoutErrorCode() throws Exception {
    assertNoToken(app.get("/api/private"));
  }

  @Test
  void requestWhenBasicSchemeThen401WithoutErrorCode() throws Exception {
    assertNoToken(app.get("/api/private", "Authorization", "Basic dXNlcjpwYXNz"));
  }

  @Test
  void requestWhenBearerValueEmptyThen400InvalidRequest() throws Exception {
    assertRefused(app.get("/api/private", "Authorization", "Bearer "), 400, "invalid_request",
        "empty token in the Authorization header");
  }

  @Test
  void requestWhenTokenHasCharacterOutsideB64tokenThen400InvalidRequest() throws Exception {
    assertRefused(app.get("/api/private", "Authorization", "Bearer abc$def"), 400, "invalid_request",
        "a character outside the RFC 6750 b64token alphabet in the Authorization header");
  }

  @Test
  void requestWhenTwoAuthorizationHeadersThen400InvalidRequest() throws Exception {
    String token = jwt(issuer).sign();
    assertRefused(app.get("/api/private", "Authorization", "Bearer " + token, "Authorization", "Bearer " + token),
        400, "invalid_request", "the request has 2 Authorization headers; send exactly one");
  }

  @Test
  void requestWhenQueryTokenAndQueryNotEnabledThenIgnoredAs401WithoutErrorCode() throws Exception {
    assertNoToken(app.get("/api/private?access_token=" + jwt(issuer).sign()));
  }

  // ---- invalid tokens ----

  @Test
  void requestWhenTokenExpiredThen401InvalidTokenSayingHowLongAgo() throws Exception {
    long exp = Instant.now().getEpochSecond() - 3600;
    Answer a = app.getWithToken("/api/private", jwt(issuer).claim("exp", exp).sign());
    String description = "token expired (\\d+) s ago \\('exp' " + exp + ", clock skew 60 s\\)";
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.header("WWW-Authenticate"))
        .matches(REALM + ", error=\"invalid_token\", error_description=\"" + description + "\"");
    assertThat(a.body()).matches("\\{\"error\":\"invalid_token\",\"error_description\":\"" + description + "\"}");
    assertCommonErrorHeaders(a);
  }

  @Test
  void requestWhenSignatureBadThen401InvalidToken() throws Exception {
    String forged = jwt(issuer).wronglySigned().sign();
    assertRefused(app.getWithToken("/api/private", forged), 401, "invalid_token",
        "the token's RS256 signature does not verify with the issuer's key '" + issuer.currentKeyId() + "'");
  }

  @Test
  void requestWhenAudienceIsAnotherApiThen401InvalidToken() throws Exception {
    assertRefused(app.getWithToken("/api/private", jwt(issuer).claim("aud", "https://other.api").sign()), 401,
        "invalid_token", "token 'aud' 'https://other.api' does not contain this API's identifier, one of ["
            + Issuers.AUDIENCE + "]");
  }

  @Test
  void requestWhenIdTokenThen401InvalidTokenWithAdvice() throws Exception {
    String idToken = jwt(issuer).claim("aud", "client-1").claim("nonce", "n-0S6").claim("scope", null)
        .header("typ", "JWT").sign();
    assertRefused(app.getWithToken("/api/private", idToken), 401, "invalid_token",
        "this is an OpenID Connect ID token (it carries 'nonce' and its aud is 'client-1'), not an access token for ["
            + Issuers.AUDIENCE + "]; send the access token, requested with audience=" + Issuers.AUDIENCE);
  }

  @Test
  void requestWhenOpaqueTokenAndOpaqueRejectedThen401InvalidToken() throws Exception {
    assertRefused(app.getWithToken("/api/private", "opaque-token-123"), 401, "invalid_token",
        "the token is not a JWT (1 segment) and opaque tokens are rejected. Auth0 issues opaque access tokens, good "
            + "only for /userinfo, when the client omits the audience parameter: request the token with audience="
            + Issuers.AUDIENCE);
  }

  // ---- scopes ----

  @Test
  void requestWhenTokenLacksScopeThen403WithScopeInChallenge() throws Exception {
    String token = jwt(issuer).claim("scope", "openid").claim("permissions", List.of()).sign();
    Answer a = app.getWithToken("/api/private-scoped", token);
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.header("WWW-Authenticate")).isEqualTo(REALM + ", error=\"insufficient_scope\", "
        + "error_description=\"the token lacks the required scope or permission read:messages\", scope=\"read:messages\"");
    assertThat(a.body()).isEqualTo("{\"error\":\"insufficient_scope\","
        + "\"error_description\":\"the token lacks the required scope or permission read:messages\"}");
    assertCommonErrorHeaders(a);
  }

  @Test
  void requestWhenScopeGrantedAsPermissionOnlyThen200() throws Exception {
    String token = jwt(issuer).claim("scope", "openid").claim("permissions", List.of("read:messages")).sign();
    assertThat(app.getWithToken("/api/private-scoped", token).status()).isEqualTo(200);
  }

  @Test
  void requestWhenAnyOfRuleAndNoneGrantedThen403NamingTheAlternatives() throws Exception {
    Answer a = app.getWithToken("/api/admin", jwt(issuer).sign());
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.header("WWW-Authenticate")).isEqualTo(REALM + ", error=\"insufficient_scope\", "
        + "error_description=\"the token grants none of the required scope or permission values: admin:all\", "
        + "scope=\"admin:all\"");
  }

  @Test
  void requestWhenTextRuleHasTwoClausesThenBothMustHold() throws Exception {
    String scopeOnly = jwt(issuer).claim("scope", "read:reports").sign();
    Answer a = app.getWithToken("/api/reports/2024", scopeOnly);
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.header("WWW-Authenticate")).endsWith(", scope=\"export:csv export:pdf\"");

    String both = jwt(issuer).claim("scope", "read:reports").claim("permissions", List.of("export:pdf")).sign();
    assertThat(app.getWithToken("/api/reports/2024", both).status()).isEqualTo(200);
    assertThat(app.getWithToken("/api/reports", both).status()).isEqualTo(200);
  }

  // ---- success ----

  @Test
  void requestWhenValidTokenThen200AndServletSeesPrincipalRolesAuthTypeAndAttribute() throws Exception {
    Answer a = app.getWithToken("/api/private-scoped", jwt(issuer).sign());
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).isEqualTo("path=/api/private-scoped principal=TokenPrincipal:auth0|user-1 "
        + "authType=Bearer remoteUser=auth0|user-1 roles=[read:messages, **] attribute=principal's token");
    assertThat(a.header("WWW-Authenticate")).isNull();
  }

  @Test
  void requestWhenSchemeInOtherCaseThenAccepted() throws Exception {
    assertThat(app.get("/api/private", "Authorization", "bEARER " + jwt(issuer).sign()).status()).isEqualTo(200);
  }

  @Test
  void requestWhenExactRuleAndTrailingSlashThenStillProtected() throws Exception {
    assertNoToken(app.get("/api/private/"));
  }

  // ---- pass-through ----

  @Test
  void requestWhenPathNotCoveredThenPassesThroughUntouched() throws Exception {
    Answer a = app.get("/api/public", "Authorization", "Bearer not$a$token");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).isEqualTo("path=/api/public principal=none authType=null remoteUser=null roles=[] attribute=none");
    assertThat(a.header("WWW-Authenticate")).isNull();
  }

  @Test
  void requestWhenPathOnlySharesPrefixWithRuleThenPassesThrough() throws Exception {
    assertThat(app.get("/api/privateer").status()).isEqualTo(200);
    assertThat(app.get("/api/reportsX").status()).isEqualTo(200);
  }

  // ---- online (revocation) check ----

  @Test
  void requestWhenOnlineRuleAndIssuerNoLongerKnowsTokenThen401InvalidToken() throws Exception {
    String revoked = jwt(issuer).claim("sub", "auth0|revoked").sign();
    issuer.revoke(revoked);
    assertThat(app.getWithToken("/api/private", revoked).status()).isEqualTo(200);
    assertRefused(app.getWithToken("/api/online", revoked), 401, "invalid_token",
        "the issuer's userinfo endpoint refused the token (HTTP 401): it is expired, revoked, or not one of this "
            + "issuer's tokens");
  }

  @Test
  void requestWhenOnlineRuleAndIssuerVouchesThen200() throws Exception {
    String token = jwt(issuer).claim("sub", "auth0|online").sign();
    assertThat(app.getWithToken("/api/online", token).body()).startsWith("path=/api/online principal=TokenPrincipal:auth0|online");
  }

  static void assertNoToken(Answer a) {
    assertThat(a.status()).isEqualTo(401);
    // RFC 6750 section 3.1 (issue #10 item 16): no error information, only a human hint as "message"
    // and, DPoP being allowed by default, a Bearer and a DPoP challenge (RFC 9449 section 7.1), one header each
    assertThat(a.headers().get("WWW-Authenticate")).containsExactly(REALM, "DPoP realm=\"tokenward\", " + DPOP_ALGS);
    assertThat(a.body()).isEqualTo("{\"message\":\"" + NO_TOKEN + "\"}");
    assertCommonErrorHeaders(a);
  }

  static void assertRefused(Answer a, int status, String error, String description) {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    assertThat(a.header("WWW-Authenticate"))
        .isEqualTo(REALM + ", error=\"" + error + "\", error_description=\"" + description + "\"");
    assertThat(a.body()).isEqualTo("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
    assertCommonErrorHeaders(a);
  }

  static void assertCommonErrorHeaders(Answer a) {
    assertThat(a.header("Cache-Control")).isEqualTo("no-store");
    assertThat(a.header("Content-Type")).isEqualTo("application/json");
    assertThat(a.header("Content-Length")).isEqualTo(Integer.toString(a.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
    if (a.status() != 503) {
      assertThat(a.header("Retry-After")).isNull();
    }
  }
}
