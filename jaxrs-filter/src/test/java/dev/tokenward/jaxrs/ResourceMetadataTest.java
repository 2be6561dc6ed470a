package dev.tokenward.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.Authenticated;
import dev.tokenward.core.ProtectedResourceMetadata;
import dev.tokenward.core.RequiresGrants;
import dev.tokenward.core.RequiresScopes;
import dev.tokenward.core.RequiresStepUp;
import dev.tokenward.core.StepUp;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9728 metadata and RFC 9470 step-up through the JAX-RS feature, over real HTTP on Jersey. */
class ResourceMetadataTest {
  static final String MFA = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";

  @Path("/")
  public static class Api {
    @GET @Path("public") @PermitAll
    public String open() {
      return "public";
    }

    @GET @Path("private") @Authenticated
    public String any() {
      return "private";
    }

    @GET @Path("scoped") @RequiresGrants("read:messages")
    public String scoped() {
      return "scoped";
    }

    @GET @Path("admin") @RequiresScopes({"admin:all", "openid"})
    public String admin() {
      return "admin";
    }

    @GET @Path("step-up") @RequiresStepUp(acr = MFA, maxAgeSeconds = 300)
    public String stepUp() {
      return "step-up";
    }

    @GET @Path("configured-step-up") @RequiresStepUp
    public String configuredStepUp() {
      return "configured";
    }
  }

  /** A fixture (issuer, validator, a server without metadata) whose validator a second server can share. */
  private static Fixture fixture() {
    return new Fixture(b -> b.stepUp(StepUp.builder().acr("urn:strong").build()), Api.class);
  }

  @Test
  void metadataWhenResourceTakenFromRequestThenServedWithoutTokenWithAnnotatedScopes() throws Exception {
    try (Fixture app = fixture()) {
      // the fixture's issuer is only known once it runs: a second server publishes its metadata
      try (TestServer server = TestServer.start(TokenwardFeature.builder(app.validator)
          .stepUp(StepUp.builder().acr("urn:strong").build())
          .resourceMetadata(ProtectedResourceMetadata.builder(app.validator).build()).build(), Api.class)) {
        HttpResponse<String> r = server.get(".well-known/oauth-protected-resource");
        String origin = r.uri().getScheme() + "://" + r.uri().getRawAuthority();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(r.headers().firstValue("Cache-Control")).contains("public, max-age=300");
        assertThat(r.body()).isEqualTo("{\"resource\":\"" + origin + "\",\"authorization_servers\":[\""
            + app.issuer.issuer() + "\"],\"scopes_supported\":[\"admin:all\",\"read:messages\"],"
            + "\"bearer_methods_supported\":[\"header\"]}");
        assertThat(server.get("private").headers().allValues("WWW-Authenticate")).containsExactly( // DPoP allowed: both
            "Bearer realm=\"tokenward\", resource_metadata=\"" + origin + "/.well-known/oauth-protected-resource\"",
            "DPoP realm=\"tokenward\", algs=\"ES256 EdDSA Ed25519 RS256 PS256\", resource_metadata=\"" + origin
                + "/.well-known/oauth-protected-resource\"");
      }
    }
  }

  @Test
  void metadataWhenResourceHasPathThenOnlyTheSuffixedUrlServedAndNamedByEveryChallenge() throws Exception {
    try (Fixture app = fixture();
         TestServer server = TestServer.start(TokenwardFeature.builder(app.validator)
             .stepUp(StepUp.builder().acr("urn:strong").build())
             .resourceMetadata(ProtectedResourceMetadata.builder(app.validator).resource("https://api.example.com/v1")
                 .resourceDocumentation("https://docs.example.com").build()).build(), Api.class)) {
      String expected = "{\"resource\":\"https://api.example.com/v1\",\"authorization_servers\":[\"" + app.issuer.issuer()
          + "\"],\"scopes_supported\":[\"admin:all\",\"read:messages\"],\"bearer_methods_supported\":[\"header\"],"
          + "\"resource_documentation\":\"https://docs.example.com\"}";
      assertThat(server.get(".well-known/oauth-protected-resource/v1").body()).isEqualTo(expected);
      assertThat(server.get(".well-known/oauth-protected-resource").statusCode()).isEqualTo(404); // RFC 9728 section 3.3
      String meta = "resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource/v1\"";
      HttpResponse<String> forbidden = server.getWithToken("admin", app.token("u", "read:messages", List.of()));
      assertThat(forbidden.statusCode()).isEqualTo(403);
      assertThat(forbidden.headers().firstValue("WWW-Authenticate").orElseThrow())
          .endsWith(", scope=\"admin:all openid\", " + meta);
      HttpResponse<String> invalid = server.getWithToken("private", "not.a.jwt");
      assertThat(invalid.statusCode()).isEqualTo(401);
      assertThat(invalid.headers().firstValue("WWW-Authenticate").orElseThrow()).endsWith(", " + meta);
      HttpResponse<String> post = TestServer.send(server.request(".well-known/oauth-protected-resource/v1")
          .POST(HttpRequest.BodyPublishers.noBody()).build());
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(server.get("public").body()).isEqualTo("public");
    }
  }

  @Test
  void metadataWhenNotConfiguredThenNotServedAndChallengesUnchanged() throws Exception {
    try (Fixture app = new Fixture(b -> b.stepUp(StepUp.builder().acr("urn:strong").build()), Api.class)) {
      assertThat(app.server.get(".well-known/oauth-protected-resource").statusCode()).isEqualTo(404);
      assertThat(app.server.get("private").headers().allValues("WWW-Authenticate"))
          .containsExactly("Bearer realm=\"tokenward\"", "DPoP realm=\"tokenward\", algs=\"ES256 EdDSA Ed25519 RS256 PS256\"");
    }
  }

  @Test
  void stepUpWhenAnnotatedThen401InsufficientUserAuthenticationWithAcrValuesAndMaxAge() throws Exception {
    long now = Instant.now().getEpochSecond();
    try (Fixture app = new Fixture(b -> b.stepUp(StepUp.builder().acr("urn:strong").amr("mfa").build()), Api.class)) {
      String strong = app.issuer.jwt().claim("acr", MFA).claim("auth_time", now).sign();
      assertThat(app.server.getWithToken("step-up", strong).body()).isEqualTo("step-up");
      HttpResponse<String> weak = app.server.getWithToken("step-up",
          app.issuer.jwt().claim("acr", "urn:password").claim("auth_time", now).sign());
      assertThat(weak.statusCode()).isEqualTo(401);
      assertThat(weak.headers().firstValue("WWW-Authenticate").orElseThrow()).isEqualTo("Bearer realm=\"tokenward\", "
          + "error=\"insufficient_user_authentication\", error_description=\"the authentication is not strong enough: "
          + "'acr' 'urn:password', where 'acr' " + MFA + " is required: authenticate again\", acr_values=\"" + MFA
          + "\", max_age=\"300\"");
      assertThat(weak.body()).startsWith("{\"error\":\"insufficient_user_authentication\",");
      HttpResponse<String> stale = app.server.getWithToken("step-up",
          app.issuer.jwt().claim("acr", MFA).claim("auth_time", now - 301).sign());
      assertThat(stale.statusCode()).isEqualTo(401);
      // the configured policy: acr urn:strong or amr mfa
      assertThat(app.server.getWithToken("configured-step-up",
          app.issuer.jwt().claim("amr", List.of("mfa")).sign()).body()).isEqualTo("configured");
      assertThat(app.server.getWithToken("configured-step-up", app.token()).headers().firstValue("WWW-Authenticate")
          .orElseThrow()).contains("acr_values=\"urn:strong\"").doesNotContain("max_age");
    }
  }

  @Test
  void stepUpWhenAnnotationHasNoAttributesAndNoPolicyThenDeploymentFailsNamingTheMethod() {
    assertThatThrownBy(() -> new Fixture(b -> b, Api.class).close())
        .hasStackTraceContaining(Api.class.getName() + ".configuredStepUp")
        .hasStackTraceContaining("no step-up policy");
  }
}
