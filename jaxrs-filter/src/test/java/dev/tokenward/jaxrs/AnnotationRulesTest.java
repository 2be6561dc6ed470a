package dev.tokenward.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.jaxrs.resources.AdminResource;
import dev.tokenward.jaxrs.resources.ApiResource;
import dev.tokenward.jaxrs.resources.LocatorResource;
import dev.tokenward.jaxrs.resources.PlainResource;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each annotation, on a real Jersey runtime, with the secure default (unannotated = protected). */
class AnnotationRulesTest {
  private static Fixture app;

  @BeforeAll
  static void start() {
    app = new Fixture(ApiResource.class, AdminResource.class, PlainResource.class, LocatorResource.class);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    return app.server.getWithToken(path, token);
  }

  private static String insufficientScopeChallenge(HttpResponse<String> response) {
    return response.headers().firstValue("WWW-Authenticate").orElseThrow();
  }

  @Test
  void requestWhenAuthenticatedAndAnyValidTokenThenOk() throws Exception {
    String token = app.token("auth0|nobody", "", List.of());
    HttpResponse<String> response = get("api/private", token);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("name=auth0|nobody ");
  }

  @Test
  void requestWhenAuthenticatedWithoutTokenThen401() throws Exception {
    assertThat(app.server.get("api/private").statusCode()).isEqualTo(401);
  }

  @Test
  void requestWhenRequiresScopesAndScopeGrantedThenOk() throws Exception {
    assertThat(get("api/scoped", app.token("u", "read:messages", List.of())).statusCode()).isEqualTo(200);
  }

  @Test
  void requestWhenRequiresScopesAndOnlyPermissionGrantedThen403() throws Exception {
    HttpResponse<String> response = get("api/scoped", app.token("u", "openid", List.of("read:messages")));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(insufficientScopeChallenge(response)).endsWith(", scope=\"read:messages\"");
  }

  @Test
  void requestWhenRequiresAllScopesAndOneMissingThen403NamingEveryRequiredScope() throws Exception {
    HttpResponse<String> response = get("api/scoped-all", app.token("u", "read:messages", List.of()));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(insufficientScopeChallenge(response)).isEqualTo("Bearer realm=\"tokenward\", error=\"insufficient_scope\", "
        + "error_description=\"the token lacks the required scope write:messages\", "
        + "scope=\"read:messages write:messages\"");
  }

  @Test
  void requestWhenRequiresAllScopesAndAllGrantedThenOk() throws Exception {
    assertThat(get("api/scoped-all", app.token("u", "read:messages write:messages", List.of())).statusCode())
        .isEqualTo(200);
  }

  @Test
  void requestWhenRequiresAnyScopeAndOneGrantedThenOk() throws Exception {
    assertThat(get("api/scoped-any", app.token("u", "read:messages", List.of())).statusCode()).isEqualTo(200);
  }

  @Test
  void requestWhenRequiresAnyScopeAndNoneGrantedThen403() throws Exception {
    HttpResponse<String> response = get("api/scoped-any", app.token("u", "openid", List.of()));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(insufficientScopeChallenge(response)).endsWith(", scope=\"write:messages read:messages\"");
  }

  @Test
  void requestWhenRequiresPermissionsAndPermissionGrantedThenOk() throws Exception {
    assertThat(get("api/permission", app.token("u", "openid", List.of("admin:all"))).statusCode()).isEqualTo(200);
  }

  @Test
  void requestWhenRequiresPermissionsAndOnlyScopeGrantedThen403() throws Exception {
    HttpResponse<String> response = get("api/permission", app.token("u", "admin:all", List.of()));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(insufficientScopeChallenge(response)).contains("the token lacks the required permission admin:all")
        .endsWith(", scope=\"admin:all\"");
  }

  @Test
  void requestWhenRequiresAnyPermissionAndOneGrantedThenOk() throws Exception {
    assertThat(get("api/permission-any", app.token("u", "", List.of("read:messages"))).statusCode()).isEqualTo(200);
  }

  @Test
  void requestWhenScopesAndPermissionsOnOneMethodThenBothMustHold() throws Exception {
    assertThat(get("api/combined", app.token("u", "openid", List.of("admin:all"))).statusCode()).isEqualTo(200);
    assertThat(get("api/combined", app.token("u", "openid", List.of())).statusCode()).isEqualTo(403);
    assertThat(get("api/combined", app.token("u", "profile", List.of("admin:all"))).statusCode()).isEqualTo(403);
  }

  @Test
  void requestWhenRequiresGrantsThenEachValueAsScopeOrPermission() throws Exception {
    assertThat(get("api/grants", app.token("u", "read:messages", List.of("admin:all"))).statusCode()).isEqualTo(200);
    assertThat(get("api/grants", app.token("u", "read:messages admin:all", List.of())).statusCode()).isEqualTo(200);
    HttpResponse<String> response = get("api/grants", app.token("u", "read:messages", List.of()));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(insufficientScopeChallenge(response))
        .contains("the token lacks the required scope or permission admin:all")
        .endsWith(", scope=\"read:messages admin:all\"");
    assertThat(app.server.get("api/grants").statusCode()).isEqualTo(401);
  }

  @Test
  void requestWhenRolesAllowedThenAnyRoleAsScopeOrPermissionIsEnough() throws Exception {
    assertThat(get("api/roles", app.token("u", "", List.of("admin:all"))).statusCode()).isEqualTo(200);
    assertThat(get("api/roles", app.token("u", "support", List.of())).statusCode()).isEqualTo(200);
    HttpResponse<String> neither = get("api/roles", app.token("u", "openid", List.of("read:messages")));
    assertThat(neither.statusCode()).isEqualTo(403);
    assertThat(insufficientScopeChallenge(neither)).endsWith(", scope=\"admin:all support\"");
  }

  @Test
  void requestWhenRolesAllowedWithoutTokenThen401() throws Exception {
    assertThat(app.server.get("api/roles").statusCode()).isEqualTo(401);
  }

  @Test
  void requestWhenDenyAllThen403WhateverTheTokenGrants() throws Exception {
    HttpResponse<String> response = get("api/denied", app.token("u", "admin:all", List.of("admin:all")));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(insufficientScopeChallenge(response)).contains("error=\"insufficient_scope\"").doesNotContain("scope=\"\"");
    assertThat(app.server.get("api/denied").statusCode()).isEqualTo(401);
  }

  @Test
  void requestWhenClassRuleAndMethodUnannotatedThenClassRuleApplies() throws Exception {
    assertThat(get("admin", app.token("u", "", List.of("admin:all"))).statusCode()).isEqualTo(200);
    assertThat(get("admin", app.token()).statusCode()).isEqualTo(403);
  }

  @Test
  void requestWhenMethodOverridesClassThenMethodRuleApplies() throws Exception {
    // the class needs admin:all; the method needs only read:messages as a scope
    assertThat(get("admin/readers", app.token("u", "read:messages", List.of())).statusCode()).isEqualTo(200);
    HttpResponse<String> adminOnly = get("admin/readers", app.token("u", "", List.of("admin:all")));
    assertThat(adminOnly.statusCode()).isEqualTo(403);
    assertThat(insufficientScopeChallenge(adminOnly)).endsWith(", scope=\"read:messages\"");
  }

  @Test
  void requestWhenMethodAuthenticatedInScopedClassThenAnyValidTokenIsEnough() throws Exception {
    assertThat(get("admin/any-token", app.token("u", "", List.of())).statusCode()).isEqualTo(200);
  }

  @Test
  void requestWhenPermitAllInProtectedClassThenNoTokenNeeded() throws Exception {
    HttpResponse<String> response = app.server.get("admin/status");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("up");
  }

  @Test
  void requestWhenPermitAllAndMalformedOrInvalidTokenThenTokenIsIgnored() throws Exception {
    assertThat(app.server.get("api/public", "Authorization", "Bearer not$a$token").body()).isEqualTo("public anonymous");
    assertThat(app.server.get("api/public", "Authorization", "Bearer a.b.c").body()).isEqualTo("public anonymous");
    HttpResponse<String> twoHeaders = app.server.send(app.server.request("api/public")
        .header("Authorization", "Bearer x").header("Authorization", "Bearer y").GET().build());
    assertThat(twoHeaders.statusCode()).isEqualTo(200);
  }

  @Test
  void requestWhenPermitAllWithValidTokenThenResourceIsNotAuthenticated() throws Exception {
    HttpResponse<String> response = get("api/public", app.token());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("public anonymous");
  }

  @Test
  void requestWhenUnannotatedAndSecureDefaultThenValidTokenRequired() throws Exception {
    assertThat(app.server.get("api/unannotated").statusCode()).isEqualTo(401);
    assertThat(app.server.get("plain").statusCode()).isEqualTo(401);
    HttpResponse<String> response = get("api/unannotated", app.token());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("unannotated auth0|user-1");
  }

  @Test
  void requestWhenAuthenticatedOnlineAndIssuerKnowsTokenThenOk() throws Exception {
    String token = app.token("auth0|online", "openid", List.of()); // the issuer's userinfo answers for it
    assertThat(get("api/online", token).statusCode()).isEqualTo(200);
  }

  @Test
  void requestWhenAuthenticatedOnlineAndIssuerRefusesTokenThen401InvalidToken() throws Exception {
    String revoked = app.token("auth0|revoked", "openid", List.of());
    app.issuer.revoke(revoked);
    HttpResponse<String> response = get("api/online", revoked);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(insufficientScopeChallenge(response)).contains("error=\"invalid_token\"").contains("userinfo");
    assertThat(get("api/private", revoked).statusCode()).isEqualTo(200);
  }

  @Test
  void requestWhenRequiresScopesOnlineThenIssuerIsAskedAndScopeStillRequired() throws Exception {
    String known = app.token("auth0|scoped-online", "openid", List.of());
    assertThat(get("api/scoped-online", known).statusCode()).isEqualTo(200);
    String revokedToken = app.token("auth0|scoped-revoked", "openid", List.of());
    app.issuer.revoke(revokedToken);
    HttpResponse<String> revoked = get("api/scoped-online", revokedToken);
    assertThat(revoked.statusCode()).isEqualTo(401);
    assertThat(insufficientScopeChallenge(revoked)).contains("error=\"invalid_token\"");
    String knownWithoutScope = app.token("auth0|scoped-online-2", "profile", List.of());
    assertThat(get("api/scoped-online", knownWithoutScope).statusCode()).isEqualTo(403);
  }

  @Test
  void requestWhenSubResourceHasClassRuleThenItAppliesBehindAPublicLocator() throws Exception {
    assertThat(app.server.get("locator/messages").statusCode()).isEqualTo(401);
    assertThat(get("locator/messages", app.token("u", "openid", List.of())).statusCode()).isEqualTo(403);
    assertThat(get("locator/messages", app.token("u", "read:messages", List.of())).statusCode()).isEqualTo(200);
  }

  @Test
  void requestWhenCorsPreflightOptionsThenRuntimeAnswersWithoutToken() throws Exception {
    HttpResponse<String> response = app.server.send(app.server.request("api/private")
        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://app.example").header("Access-Control-Request-Method", "GET").build());
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void requestWhenHeadOnProtectedMethodThenTokenRequiredToo() throws Exception {
    HttpResponse<String> response = app.server.send(app.server.request("api/private")
        .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
    assertThat(response.statusCode()).isEqualTo(401);
  }
}
