package dev.tokenward.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.ConfigurationException;
import dev.tokenward.core.TokenwardConfig;
import dev.tokenward.jaxrs.resources.ApiResource;
import dev.tokenward.test.TestIssuer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The feature configured by core's settings model alone, as from the environment. */
class ConfiguredFeatureTest {
  @Test
  void builderWhenConfiguredByEnvironmentThenValidatorRealmAndTokenLocationsApply() throws Exception {
    try (TestIssuer issuer = Fixture.issuer()) {
      TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", issuer.issuer(),
          "TOKENWARD_AUDIENCE", Fixture.AUDIENCE, "TOKENWARD_REALM", "env-api", "TOKENWARD_ALLOW_QUERY_TOKEN", "true"));
      try (TestServer server = TestServer.start(TokenwardFeature.builder(config).build(), ApiResource.class)) {
        HttpResponse<String> none = server.get("api/private");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer realm=\"env-api\"");
        assertThat(server.get("api/private?access_token=" + Fixture.jwt(issuer).sign()).statusCode()).isEqualTo(200);
        assertThat(server.getWithToken("api/private", Fixture.jwt(issuer).claim("aud", "https://other.test").sign())
            .statusCode()).isEqualTo(401);
      }
    }
  }

  @Test
  void builderWhenServletPathRulesSetThenRefusedNotIgnored() {
    TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", "https://tenant.example.com/",
        "TOKENWARD_AUDIENCE", "a", "TOKENWARD_RULES", "/api/*=authenticated"));
    assertThatThrownBy(() -> TokenwardFeature.builder(config)).isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("TOKENWARD_RULES: path rules are the servlet filter's; the JAX-RS feature takes its "
            + "rules from annotations");
  }

  /** {@code @RequiresStepUp} without attributes: the policy of TOKENWARD_STEP_UP_ACR / TOKENWARD_STEP_UP_MAX_AGE_SECONDS. */
  @jakarta.ws.rs.Path("transfer")
  public static class Transfer {
    @jakarta.ws.rs.GET
    @dev.tokenward.core.RequiresStepUp
    public String get() {
      return "moved";
    }
  }

  @Test
  void builderWhenStepUpSettingsThenBareRequiresStepUpStandsForThem() throws Exception {
    String mfa = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";
    try (TestIssuer issuer = Fixture.issuer()) {
      TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", issuer.issuer(),
          "TOKENWARD_AUDIENCE", Fixture.AUDIENCE, "TOKENWARD_STEP_UP_ACR", mfa,
          "TOKENWARD_STEP_UP_MAX_AGE_SECONDS", "300"));
      try (TestServer server = TestServer.start(TokenwardFeature.builder(config).build(), Transfer.class)) {
        HttpResponse<String> weak = server.getWithToken("transfer", Fixture.jwt(issuer).sign());
        assertThat(weak.statusCode()).isEqualTo(401);
        assertThat(weak.headers().firstValue("WWW-Authenticate").orElseThrow())
            .startsWith("Bearer realm=\"tokenward\", error=\"insufficient_user_authentication\"")
            .endsWith("acr_values=\"" + mfa + "\", max_age=\"300\"");
        HttpResponse<String> strong = server.getWithToken("transfer", Fixture.jwt(issuer).claim("acr", mfa)
            .claim("auth_time", java.time.Instant.now().getEpochSecond()).sign());
        assertThat(strong.statusCode()).isEqualTo(200);
        assertThat(strong.body()).isEqualTo("moved");
      }
    }
  }

  @Test
  void stepUpWhenAcrNotASingleValueThenConfigurationErrorNamingTheVariable() {
    TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", "https://tenant.example.com/",
        "TOKENWARD_AUDIENCE", "a", "TOKENWARD_STEP_UP_ACR", "urn:a, urn:has space"));
    assertThatThrownBy(() -> TokenwardFeature.builder(config)).isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("TOKENWARD_STEP_UP_ACR: 'urn:has space' is not a single value");
  }
}
