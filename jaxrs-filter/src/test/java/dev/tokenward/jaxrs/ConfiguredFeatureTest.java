package dev.tokenward.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.ConfigurationException;
import dev.tokenward.core.FakeIssuer;
import dev.tokenward.core.TokenwardConfig;
import dev.tokenward.jaxrs.resources.ApiResource;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The feature configured by core's settings model alone, as from the environment. */
class ConfiguredFeatureTest {
  @Test
  void builderWhenConfiguredByEnvironmentThenValidatorRealmAndTokenLocationsApply() throws Exception {
    try (FakeIssuer issuer = new FakeIssuer()) {
      TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", issuer.issuer(),
          "TOKENWARD_AUDIENCE", FakeIssuer.AUDIENCE, "TOKENWARD_REALM", "env-api", "TOKENWARD_ALLOW_QUERY_TOKEN", "true"));
      try (TestServer server = TestServer.start(TokenwardFeature.builder(config).build(), ApiResource.class)) {
        HttpResponse<String> none = server.get("api/private");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer realm=\"env-api\"");
        assertThat(server.get("api/private?access_token=" + issuer.jwt().sign()).statusCode()).isEqualTo(200);
        assertThat(server.getWithToken("api/private", issuer.jwt().claim("aud", "https://other.test").sign())
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
}
