package dev.tokenward.servlet;

import static dev.tokenward.servlet.InitParamsTest.config;
import static dev.tokenward.servlet.Issuers.jwt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.StepUp;
import dev.tokenward.servlet.JettyApp.Answer;
import dev.tokenward.test.TestIssuer;
import jakarta.servlet.ServletException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The path rule's leading word {@code step-up} (RFC 9470): the filter's step-up policy, the one
 * {@code @RequiresStepUp} without attributes stands for, from the builder or from
 * {@code TOKENWARD_STEP_UP_ACR} / {@code TOKENWARD_STEP_UP_MAX_AGE_SECONDS}; answered with core's
 * 401 {@code insufficient_user_authentication}.
 */
class StepUpRuleTest {
  static final String MFA = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";
  static final String WEAK = "Bearer realm=\"tokenward\", error=\"insufficient_user_authentication\", "
      + "error_description=\"the authentication is not strong enough: no 'acr', where 'acr' " + MFA + " is required; "
      + "the token has no 'auth_time', so it cannot show an authentication within the last 300 s: authenticate "
      + "again\", acr_values=\"" + MFA + "\", max_age=\"300\"";
  static TestIssuer issuer;
  static AccessTokenValidator validator;
  static JettyApp app;

  @BeforeAll
  static void start() throws Exception {
    issuer = Issuers.start();
    validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(Issuers.AUDIENCE).build();
    BearerTokenFilter filter = BearerTokenFilter.builder(validator)
        .stepUp(StepUp.builder().acr(MFA).maxAge(Duration.ofSeconds(300)).build())
        .rule(PathRule.parse("/transfer", "step-up authenticated"))
        .rule(PathRule.parse("/pay/*", "step-up write:messages"))
        .rule(PathRule.authenticated("/programmatic").withStepUp())
        .build();
    app = JettyApp.withFilter(filter, context -> { });
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    validator.close();
    issuer.close();
  }

  static String strong() {
    return jwt(issuer).claim("acr", MFA).claim("auth_time", Instant.now().getEpochSecond() - 10).sign();
  }

  @Test
  void stepUpRuleWhenStrongRecentLoginThen200() throws Exception {
    Answer a = app.getWithToken("/transfer", strong());

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).contains("principal=TokenPrincipal:auth0|user-1");
  }

  @Test
  void stepUpRuleWhenNoAcrThen401InsufficientUserAuthenticationWithAcrValuesAndMaxAge() throws Exception {
    Answer a = app.getWithToken("/transfer", jwt(issuer).sign());

    assertThat(a.status()).isEqualTo(401);
    assertThat(a.header("WWW-Authenticate")).isEqualTo(WEAK);
    assertThat(a.header("Cache-Control")).isEqualTo("no-store");
    assertThat(app.getWithToken("/programmatic", jwt(issuer).sign()).header("WWW-Authenticate")).isEqualTo(WEAK);
  }

  @Test
  void stepUpRuleWhenLoginTooOldThen401NamingTheAge() throws Exception {
    Answer a = app.getWithToken("/transfer",
        jwt(issuer).claim("acr", MFA).claim("auth_time", Instant.now().getEpochSecond() - 3600).sign());

    assertThat(a.status()).isEqualTo(401);
    assertThat(a.header("WWW-Authenticate")).contains("error=\"insufficient_user_authentication\"")
        .contains("s ago ('auth_time'), more than the 300 s allowed").contains("max_age=\"300\"");
  }

  @Test
  void stepUpRuleWithScopeWhenStrongButScopeMissingThen403AndWhenWeakThen401First() throws Exception {
    Answer strongWithoutScope = app.getWithToken("/pay/1", strong());
    assertThat(strongWithoutScope.status()).isEqualTo(403);
    assertThat(strongWithoutScope.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"")
        .contains("scope=\"write:messages\"");

    Answer weakWithoutScope = app.getWithToken("/pay/1", jwt(issuer).sign());
    assertThat(weakWithoutScope.header("WWW-Authenticate")).as("step-up before scopes: one new login fixes both")
        .isEqualTo(WEAK);

    assertThat(app.getWithToken("/pay/1", jwt(issuer).claim("acr", MFA)
        .claim("auth_time", Instant.now().getEpochSecond()).scopes("write:messages").sign()).status()).isEqualTo(200);
  }

  @Test
  void buildWhenStepUpRuleWithoutPolicyThenFailsNamingTheRule() {
    BearerTokenFilter.Builder b = BearerTokenFilter.builder(validator).rule(PathRule.parse("/transfer", "step-up authenticated"));

    assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path rule /transfer -> step-up authenticated: 'step-up' stands for the filter's step-up policy "
            + "(RFC 9470), and none is configured: set TOKENWARD_STEP_UP_ACR and/or TOKENWARD_STEP_UP_MAX_AGE_SECONDS "
            + "(init-params step-up-acr, step-up-max-age-seconds), or give the builder stepUp(StepUp)");
  }

  @Test
  void initWhenStepUpRuleAndPolicyFromTheEnvironmentThenEnforced() throws Exception {
    Map<String, String> env = Map.of("TOKENWARD_ISSUER", issuer.issuer(), "TOKENWARD_AUDIENCE", Issuers.AUDIENCE,
        "TOKENWARD_RULES", "/transfer=step-up authenticated", "TOKENWARD_STEP_UP_ACR", MFA,
        "TOKENWARD_STEP_UP_MAX_AGE_SECONDS", "300");
    try (JettyApp other = JettyApp.withFilter(InitParams.read(config(Map.of()), env, new Properties()).build(),
        context -> { })) {
      assertThat(other.getWithToken("/transfer", jwt(issuer).sign()).header("WWW-Authenticate")).isEqualTo(WEAK);
      assertThat(other.getWithToken("/transfer", strong()).status()).isEqualTo(200);
    }
  }

  @Test
  void initWhenStepUpRuleWithoutPolicyThenServletExceptionNamingTheRuleAndTheSettings() {
    BearerTokenFilter filter = new BearerTokenFilter(); // as web.xml: configured by its init-parameters at init
    Map<String, String> params = Map.of("issuer", issuer.issuer(), "audience", Issuers.AUDIENCE,
        "rule./transfer", "step-up authenticated");

    assertThatThrownBy(() -> filter.init(config(params))).isInstanceOf(ServletException.class)
        .hasMessage("tokenward path rule /transfer -> step-up authenticated: 'step-up' stands for the filter's step-up "
            + "policy (RFC 9470), and none is configured: set TOKENWARD_STEP_UP_ACR and/or "
            + "TOKENWARD_STEP_UP_MAX_AGE_SECONDS (init-params step-up-acr, step-up-max-age-seconds), or give the "
            + "builder stepUp(StepUp)");
  }

  @Test
  void initWhenStepUpAcrNotASingleValueThenServletExceptionNamingTheSetting() {
    Map<String, String> env = Map.of("TOKENWARD_ISSUER", issuer.issuer(), "TOKENWARD_AUDIENCE", Issuers.AUDIENCE,
        "TOKENWARD_STEP_UP_ACR", "urn:a, urn:has space");

    assertThatThrownBy(() -> InitParams.read(config(Map.of()), env, new Properties()))
        .isInstanceOf(ServletException.class)
        .hasMessageStartingWith("tokenward TOKENWARD_STEP_UP_ACR: 'urn:has space' is not a single value");
  }
}
