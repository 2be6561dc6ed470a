package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProtectedResourceMetadataTest {
  private static final String AUTH0 = "https://tenant.auth0.com/";

  @Test
  void toJsonWhenEverythingSetThenMembersInRfcOrder() {
    String json = ProtectedResourceMetadata.builder()
        .resource("https://api.example.com")
        .authorizationServers(AUTH0)
        .scopesSupported("read:messages", "admin:all")
        .resourceName("Example API")
        .resourceDocumentation("https://docs.example.com/api")
        .resourcePolicyUri("https://example.com/policy")
        .build().toJson();
    assertThat(json).isEqualTo("{\"resource\":\"https://api.example.com\","
        + "\"authorization_servers\":[\"https://tenant.auth0.com/\"],"
        + "\"scopes_supported\":[\"read:messages\",\"admin:all\"],"
        + "\"bearer_methods_supported\":[\"header\"],"
        + "\"resource_name\":\"Example API\","
        + "\"resource_documentation\":\"https://docs.example.com/api\","
        + "\"resource_policy_uri\":\"https://example.com/policy\"}");
  }

  @Test
  void toJsonWhenMinimalThenNoScopesNorOptionalMembers() {
    String json = ProtectedResourceMetadata.builder().resource("https://api.example.com/")
        .authorizationServers(AUTH0).build().toJson();
    assertThat(json).isEqualTo("{\"resource\":\"https://api.example.com/\","
        + "\"authorization_servers\":[\"https://tenant.auth0.com/\"],\"bearer_methods_supported\":[\"header\"]}");
  }

  @Test
  void toJsonWhenDpopOfferedThenBothDpopMembers() {
    String json = ProtectedResourceMetadata.builder().resource("https://api.example.com").authorizationServers(AUTH0)
        .dpop(List.of("ES256", "EdDSA"), true).bearerMethod("body").build().toJson();
    assertThat(json).endsWith("\"bearer_methods_supported\":[\"header\",\"body\"],"
        + "\"dpop_signing_alg_values_supported\":[\"ES256\",\"EdDSA\"],\"dpop_bound_access_tokens_required\":true}");
  }

  @Test
  void scopesWhenHiddenOrOpenIdThenLeftOutUnlessShown() {
    ProtectedResourceMetadata m = ProtectedResourceMetadata.builder().authorizationServers(AUTH0)
        .scopesSupported(List.of("openid", "profile", "read:messages", "internal:debug", "admin:all", "email"))
        .hideScopes("internal:debug").showScopes("email").build();
    assertThat(m.scopesSupported()).containsExactly("read:messages", "admin:all", "email");
  }

  @Test
  void metadataUrlWhenResourceHasNoPathThenWellKnownAtRoot() {
    assertThat(ProtectedResourceMetadata.metadataUrl("https://api.example.com"))
        .isEqualTo("https://api.example.com/.well-known/oauth-protected-resource");
    assertThat(ProtectedResourceMetadata.metadataUrl("https://api.example.com/"))
        .isEqualTo("https://api.example.com/.well-known/oauth-protected-resource");
    assertThat(ProtectedResourceMetadata.metadataUrl("http://127.0.0.1:8080"))
        .isEqualTo("http://127.0.0.1:8080/.well-known/oauth-protected-resource");
  }

  @Test
  void metadataUrlWhenResourceHasPathThenPathAppendedAfterWellKnown() {
    // RFC 9728 section 3.1's example: https://resource.example.com/resource1
    assertThat(ProtectedResourceMetadata.metadataUrl("https://resource.example.com/resource1"))
        .isEqualTo("https://resource.example.com/.well-known/oauth-protected-resource/resource1");
    assertThat(ProtectedResourceMetadata.wellKnownPath("https://api.example.com:8443/tenant/mcp"))
        .isEqualTo("/.well-known/oauth-protected-resource/tenant/mcp");
    ProtectedResourceMetadata m = ProtectedResourceMetadata.builder().authorizationServers(AUTH0)
        .resource("https://api.example.com/mcp").build();
    assertThat(m.metadataUrl()).isEqualTo("https://api.example.com/.well-known/oauth-protected-resource/mcp");
  }

  @Test
  void resourceWhenNotAnHttpsUrlThenRefusedNamingTheSetting() {
    ProtectedResourceMetadata.Builder b = ProtectedResourceMetadata.builder();
    assertThatThrownBy(() -> b.resource("api.example.com")).hasMessageStartingWith("resource: must be an absolute");
    assertThatThrownBy(() -> b.resource("urn:example:api")).hasMessageStartingWith("resource: must be an absolute");
    assertThatThrownBy(() -> b.resource("https://api.example.com/#x")).hasMessageContaining("no fragment");
    assertThatThrownBy(() -> b.resource("https://api.example.com/?a=b")).hasMessageContaining("no query");
    assertThatThrownBy(() -> b.resource("http://api.example.com")).hasMessageContaining("must use https");
    b.resource("http://localhost:8080"); // loopback
  }

  @Test
  void toJsonWhenNoResourceThenRefusedAndWithResourceFromTheRequestThenAnswered() {
    ProtectedResourceMetadata template = ProtectedResourceMetadata.builder().authorizationServers(AUTH0).build();
    assertThat(template.resource()).isEmpty();
    assertThatThrownBy(template::toJson).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("resource:");
    ProtectedResourceMetadata derived = template.withResource("http://api.internal:8080");
    assertThat(derived.resource()).contains("http://api.internal:8080");
    assertThat(derived.metadataUrl()).isEqualTo("http://api.internal:8080/.well-known/oauth-protected-resource");
    assertThat(template.resource()).isEmpty();
  }

  @Test
  void buildWhenNoAuthorizationServerThenRefused() {
    assertThatThrownBy(() -> ProtectedResourceMetadata.builder().build()).hasMessageStartingWith("authorizationServers:");
    assertThatThrownBy(() -> ProtectedResourceMetadata.builder().scopesSupported("a b"))
        .hasMessageStartingWith("scopesSupported:");
    assertThatThrownBy(() -> ProtectedResourceMetadata.builder().bearerMethod("cookie"))
        .hasMessageStartingWith("bearerMethod:");
  }

  @Test
  void builderWhenFromValidatorThenItsIssuersExactlyAsConfigured() {
    try (AccessTokenValidator v = AccessTokenValidator.builder().issuer(AUTH0).audience("https://api.example.com").build()) {
      ProtectedResourceMetadata m = ProtectedResourceMetadata.builder(v).resource("https://api.example.com").build();
      assertThat(m.authorizationServers()).containsExactly(AUTH0);
      assertThat(m.toBuilder().resourceName("x").build().authorizationServers()).containsExactly(AUTH0);
    }
  }

  @Test
  void errorResponseWhenResourceMetadataGivenThenEveryChallengeCarriesIt() {
    String url = "https://api.example.com/.well-known/oauth-protected-resource";
    // RFC 9728 section 5.1's example: no error information, only where to find the metadata
    assertThat(BearerErrorResponse.missingToken("tokenward", url).challenge())
        .isEqualTo("Bearer realm=\"tokenward\", resource_metadata=\"" + url + "\"");
    assertThat(BearerErrorResponse.of(TokenValidationException.insufficientScope("lacks a", "a"), "tokenward", url)
        .challenge()).isEqualTo("Bearer realm=\"tokenward\", error=\"insufficient_scope\", error_description=\"lacks a\", "
        + "scope=\"a\", resource_metadata=\"" + url + "\"");
    assertThat(BearerErrorResponse.of(new TokenValidationException(Reason.EXPIRED, "expired"), "t", "https://h/\"x")
        .challenge()).endsWith("resource_metadata=\"https://h/'x\"");
  }

  @Test
  void dpopFromWhenIssuerPoliciesVaryThenMembersFollowThem() {
    try (AccessTokenValidator allowed = AccessTokenValidator.builder().issuer(AUTH0).audience("https://api.example.com")
            .dpopAlgorithms("ES256", "EdDSA").build();
         AccessTokenValidator required = AccessTokenValidator.builder().issuer(AUTH0).audience("https://api.example.com")
            .dpop(DpopPolicy.REQUIRED).build();
         AccessTokenValidator off = AccessTokenValidator.builder().issuer(AUTH0).audience("https://api.example.com")
            .dpop(DpopPolicy.OFF).build()) {
      ProtectedResourceMetadata a = ProtectedResourceMetadata.builder(allowed).dpopFrom(allowed).build();
      assertThat(a.dpopSigningAlgValuesSupported()).containsExactly("ES256", "EdDSA", "Ed25519"); // RFC 9864
      assertThat(a.dpopBoundAccessTokensRequired()).isFalse();
      ProtectedResourceMetadata r = ProtectedResourceMetadata.builder(required).dpopFrom(required).build();
      assertThat(r.dpopSigningAlgValuesSupported()).isNotEmpty();
      assertThat(r.dpopBoundAccessTokensRequired()).isTrue();
      ProtectedResourceMetadata o = ProtectedResourceMetadata.builder(off).dpopFrom(off).resource("https://a.example").build();
      assertThat(o.dpopSigningAlgValuesSupported()).isEmpty();
      assertThat(o.toJson()).doesNotContain("dpop");
      // builder(validator) alone never advertises DPoP: only a filter that accepts DPoP requests may
      assertThat(ProtectedResourceMetadata.builder(allowed).build().dpopSigningAlgValuesSupported()).isEmpty();
    }
  }
}
