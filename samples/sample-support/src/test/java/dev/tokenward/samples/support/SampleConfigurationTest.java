package dev.tokenward.samples.support;

import static dev.tokenward.samples.support.SampleConfiguration.ALGORITHMS;
import static dev.tokenward.samples.support.SampleConfiguration.AUDIENCE;
import static dev.tokenward.samples.support.SampleConfiguration.HS256_SECRET;
import static dev.tokenward.samples.support.SampleConfiguration.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.ConfigurationException;
import dev.tokenward.core.OpaqueTokenPolicy;
import dev.tokenward.core.TrustedIssuer;
import dev.tokenward.test.TestIssuer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the contract's variables, without any server: defaults, parsing, and messages that name the variable. */
class SampleConfigurationTest {
  private static final String TENANT = "https://tenant.example.com/";

  @Test
  void anEmptyEnvironmentMeansEveryDefaultAndTheDevIssuer() {
    SampleConfiguration c = SampleConfiguration.fromEnvironment(Map.of());
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.usesDevIssuer()).isTrue();
    assertThat(c.issuer()).isEmpty();
    assertThat(c.audiences()).containsExactly(TestIssuer.DEFAULT_API);
    assertThat(c.algorithms()).containsExactly("RS256");
    assertThat(c.clockSkewSeconds()).isEqualTo(60);
    assertThat(c.opaqueTokens()).isEqualTo(OpaqueTokenPolicy.REJECT);
  }

  @Test
  void blankValuesCountAsUnset() {
    SampleConfiguration c = SampleConfiguration.fromEnvironment(Map.of(ISSUER, " ", "PORT", "", ALGORITHMS, ""));
    assertThat(c.usesDevIssuer()).isTrue();
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.algorithms()).containsExactly("RS256");
  }

  @Test
  void listsAreCommaSeparatedTrimmedAndDeduplicated() {
    SampleConfiguration c = SampleConfiguration.fromEnvironment(Map.of(ISSUER, TENANT,
        AUDIENCE, " https://a.example , https://b.example,,https://a.example", ALGORITHMS, "RS256, ES256"));
    assertThat(c.audiences()).containsExactly("https://a.example", "https://b.example");
    assertThat(c.algorithms()).containsExactly("RS256", "ES256");
    TrustedIssuer built = c.validator(null).issuers().get(0);
    assertThat(built.issuer()).isEqualTo(TENANT);
    assertThat(built.audiences()).containsExactlyInAnyOrder("https://a.example", "https://b.example");
    assertThat(built.algorithms()).containsExactlyInAnyOrder("RS256", "ES256");
  }

  @Test
  void optionsAreCaseInsensitive() {
    assertThat(SampleConfiguration.fromEnvironment(Map.of("TOKENWARD_OPAQUE", "UserInfo")).opaqueTokens())
        .isEqualTo(OpaqueTokenPolicy.USERINFO);
    assertThat(SampleConfiguration.fromEnvironment(Map.of("TOKENWARD_ALLOW_HTTP", "TRUE", ISSUER, "http://idp.internal/",
        AUDIENCE, "x")).issuer()).hasValue("http://idp.internal/");
  }

  @Test
  void coreRefusalsAreReportedUnderTheVariableNotTheBuilderSetting() {
    Map<String, String> env = Map.of(ISSUER, TENANT, AUDIENCE, "https://api.example.com", ALGORITHMS, "RS257");
    assertThatThrownBy(() -> SampleConfiguration.fromEnvironment(env).validator(null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(ALGORITHMS + ": unknown or unsupported JWS algorithm 'RS257'")
        .satisfies(e -> assertThat(((ConfigurationException) e).name()).isEqualTo(ALGORITHMS));
  }

  @Test
  void aShortSecretIsNamedButNeverShown() {
    Map<String, String> env = Map.of(ALGORITHMS, "HS256", HS256_SECRET, "s3cr3t-but-short");
    TestIssuer unused = TestIssuer.defaults(); // validator() only reads issuer() from a started one
    try (TestIssuer started = unused.start()) {
      assertThatThrownBy(() -> SampleConfiguration.fromEnvironment(env).validator(started))
          .hasMessageStartingWith(HS256_SECRET + ": HS256 needs a secret of at least 256 bits")
          .hasMessageNotContaining("s3cr3t-but-short")
          .hasMessageNotContaining("hmacSecret");
    }
  }

  @Test
  void everyMessageIsOneLine() {
    assertThat(new ConfigurationException("PORT", "port", "first\nsecond\r\n third", null).getMessage())
        .isEqualTo("PORT: first second third");
  }

  @Test
  void aMisspeltVariableOrValueIsAnErrorWithDidYouMean() {
    assertThatThrownBy(() -> SampleConfiguration.fromEnvironment(Map.of("TOKENWARD_AUDIANCE", "x")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("TOKENWARD_AUDIANCE: unknown setting; did you mean TOKENWARD_AUDIENCE?");
    assertThatThrownBy(() -> SampleConfiguration.fromEnvironment(Map.of("TOKENWARD_OPAQEU", "userinfo")))
        .hasMessage("TOKENWARD_OPAQEU: unknown setting; did you mean TOKENWARD_OPAQUE?");
    assertThatThrownBy(() -> SampleConfiguration.fromEnvironment(Map.of("TOKENWARD_OPAQUE", "userinfp")))
        .hasMessage("TOKENWARD_OPAQUE: 'userinfp' is not one of reject, userinfo, introspect; did you mean userinfo?");
  }

  @Test
  void theVariablesAreCoresSettingsAndTheSamplesOwn() {
    assertThat(SampleConfiguration.VARIABLES).startsWith("PORT").contains(ISSUER, AUDIENCE, HS256_SECRET,
        "TOKENWARD_OPAQUE", "TOKENWARD_ALLOW_HTTP", "TOKENWARD_RESOURCE", "TOKENWARD_STEP_UP_ACR",
        "TOKENWARD_STEP_UP_MAX_AGE_SECONDS").doesNotHaveDuplicates();
  }

  @Test
  void theEndpointTableIsTheContracts() {
    assertThat(List.of(Endpoint.values())).extracting(Endpoint::path)
        .containsExactly("/health", "/api/public", "/api/private", "/api/private-scoped", "/api/admin", "/api/step-up");
    assertThat(Endpoint.PRIVATE_SCOPED.grant()).hasValue("read:messages");
    assertThat(Endpoint.ADMIN.grant()).hasValue("admin:all");
    assertThat(Endpoint.PRIVATE.requirement()).isEmpty();
    assertThat(Endpoint.HEALTH.needsToken()).isFalse();
  }

  @Test
  void jsonStringsAreEscaped() {
    assertThat(SampleResponses.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    assertThat(new Answer(200, Map.of(), SampleResponses.publicMessage()).json().get("message"))
        .isEqualTo(SampleResponses.PUBLIC_MESSAGE);
  }

  // Issue 10 item 10: any host starting with "127." counted as loopback, so plain http to
  // 127.attacker.example was accepted without TOKENWARD_ALLOW_HTTP (it was, before the fix).
  @Test
  void plainHttpToAHostThatOnlyStartsLike127IsRefused() {
    for (String lookalike : new String[] {"http://127.attacker.example/", "http://127.0.0.1.nip.io/"}) {
      assertThatThrownBy(() -> SampleConfiguration.fromEnvironment(Map.of(ISSUER, lookalike, AUDIENCE, "x"))
          .validator(null))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith(ISSUER + ": http is only allowed for loopback hosts");
    }
    for (String loopback : new String[] {"http://127.0.0.1:8080/", "http://localhost:8080/", "http://[::1]:8080/"}) {
      SampleConfiguration c = SampleConfiguration.fromEnvironment(Map.of(ISSUER, loopback, AUDIENCE, "x"));
      assertThat(c.issuer()).hasValue(loopback);
      try (var validator = c.validator(null)) {
        assertThat(validator.issuers().get(0).issuer()).isEqualTo(loopback);
      }
    }
  }

  @Test
  void describeWhenRedisUriIsSetThenSaysStateIsSharedWithoutShowingTheUri() {
    SampleConfiguration config = SampleConfiguration.fromEnvironment(Map.of("TOKENWARD_REDIS_URI",
        "redis://:hunter2@10.0.0.9:6379/0"));
    assertThat(config.describe("https://tenant.example.com/"))
        .anySatisfy(line -> assertThat(line).contains("shares DPoP replay records").contains("TOKENWARD_REDIS_URI"))
        .allSatisfy(line -> assertThat(line).doesNotContain("hunter2").doesNotContain("10.0.0.9"));
    assertThat(SampleConfiguration.fromEnvironment(Map.of()).describe("https://tenant.example.com/"))
        .noneSatisfy(line -> assertThat(line).contains("Redis"));
  }
}
