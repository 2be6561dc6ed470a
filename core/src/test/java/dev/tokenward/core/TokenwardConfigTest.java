package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The text form of the settings: one name per setting in every source, typed values, and errors that name the setting. */
class TokenwardConfigTest {
  private static final String ISSUER = "https://tenant.auth0.com/";
  private static final String API = "https://api.example.com";

  @Test
  void namesWhenDerivedFromTheKeyThenOneSchemeForEverySource() {
    Setting<String> s = StandardSettings.JWKS_URI;
    assertThat(s.key()).isEqualTo("jwks-uri");
    assertThat(s.environmentVariable()).isEqualTo("TOKENWARD_JWKS_URI");
    assertThat(s.systemProperty()).isEqualTo("tokenward.jwks-uri");
    assertThat(s.initParameter()).isEqualTo("jwks-uri");
    assertThat(StandardSettings.HS256_SECRET.environmentVariable()).isEqualTo("TOKENWARD_HS256_SECRET");
    assertThat(StandardSettings.OPAQUE.environmentVariable()).isEqualTo("TOKENWARD_OPAQUE");
    Setting<Integer> port = Setting.integer("port", "HTTP port", 0, 65_535).withoutPrefix();
    assertThat(port.environmentVariable()).isEqualTo("PORT");
    assertThat(port.systemProperty()).isEqualTo("port");
  }

  @Test
  void everyStandardKeyIsSpeltTheSameWayInEverySource() {
    for (Setting<?> s : StandardSettings.all()) {
      assertThat(s.environmentVariable()).isEqualTo("TOKENWARD_" + s.key().toUpperCase().replace('-', '_'));
      assertThat(s.systemProperty()).isEqualTo("tokenward." + s.key());
      assertThat(s.initParameter()).isEqualTo(s.key());
    }
  }

  @Test
  void validatorWhenReadFromEnvironmentThenEqualsTheBuilderForm() {
    TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", ISSUER,
        "TOKENWARD_AUDIENCE", API + ", https://other.example.com", "TOKENWARD_ALGORITHMS", "RS256,ES256",
        "TOKENWARD_CLOCK_SKEW_SECONDS", "30", "TOKENWARD_OPAQUE", "UserInfo", "PATH", "/usr/bin"));
    assertThat(config.get(StandardSettings.CLOCK_SKEW_SECONDS)).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.get(StandardSettings.OPAQUE)).isEqualTo(OpaqueTokenPolicy.USERINFO);
    try (AccessTokenValidator v = config.validator()) {
      TrustedIssuer t = v.issuers().get(0);
      assertThat(t.issuer()).isEqualTo(ISSUER);
      assertThat(t.audiences()).containsExactlyInAnyOrder(API, "https://other.example.com");
      assertThat(t.algorithms()).containsExactlyInAnyOrder("RS256", "ES256");
      assertThat(t.opaqueTokens()).isEqualTo(OpaqueTokenPolicy.USERINFO);
    }
  }

  @Test
  void getWhenUnsetThenDefaultAndFindIsEmpty() {
    TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ALGORITHMS", " "));
    assertThat(config.get(StandardSettings.ALGORITHMS)).containsExactly("RS256");
    assertThat(config.find(StandardSettings.ALGORITHMS)).isEmpty();
    assertThat(config.isSet(StandardSettings.ALGORITHMS)).as("blank counts as unset").isFalse();
    assertThat(config.get(StandardSettings.ISSUER)).isNull();
    assertThat(config.get(StandardSettings.REALM)).isEqualTo("tokenward");
  }

  @Test
  void sourcesWhenSeveralThenParametersBeatPropertiesBeatEnvironmentWhateverTheOrder() {
    Properties props = new Properties();
    props.setProperty("tokenward.audience", "from-properties");
    props.setProperty("tokenward.realm", "from-properties");
    props.setProperty("java.version", "17"); // not ours: left alone
    TokenwardConfig config = TokenwardConfig.builder()
        .initParameters(Map.of("audience", "from-init-param"))
        .environment(Map.of("TOKENWARD_AUDIENCE", "from-env", "TOKENWARD_REALM", "from-env", "TOKENWARD_ISSUER", ISSUER))
        .systemProperties(props)
        .build();
    assertThat(config.get(StandardSettings.AUDIENCE)).containsExactly("from-init-param");
    assertThat(config.get(StandardSettings.REALM)).isEqualTo("from-properties");
    assertThat(config.get(StandardSettings.ISSUER)).isEqualTo(ISSUER);
    assertThat(config.nameOf(StandardSettings.AUDIENCE)).isEqualTo("init-param 'audience'");
    assertThat(config.nameOf(StandardSettings.REALM)).isEqualTo("tokenward.realm");
    assertThat(config.nameOf(StandardSettings.ISSUER)).isEqualTo("TOKENWARD_ISSUER");
    assertThat(config.nameOf(StandardSettings.JWKS_URI)).as("unset: named as the main source spells it")
        .isEqualTo("init-param 'jwks-uri'");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      TOKENWARD_AUDIANCE       | TOKENWARD_AUDIANCE: unknown setting; did you mean TOKENWARD_AUDIENCE?
      TOKENWARD_OPAQEU         | TOKENWARD_OPAQEU: unknown setting; did you mean TOKENWARD_OPAQUE?
      TOKENWARD_JWKS_URL       | TOKENWARD_JWKS_URL: unknown setting; did you mean TOKENWARD_JWKS_URI?
      Tokenward_Audience       | Tokenward_Audience: unknown setting; did you mean TOKENWARD_AUDIENCE?
      TOKENWARD_HMAC_SECRET    | TOKENWARD_HMAC_SECRET: renamed; use TOKENWARD_HS256_SECRET
      """)
  void readWhenEnvironmentNameUnknownThenFailsWithDidYouMean(String name, String message) {
    assertThatThrownBy(() -> TokenwardConfig.fromEnvironment(Map.of(name, "x")))
        .isInstanceOf(ConfigurationException.class).hasMessage(message);
  }

  @Test
  void readWhenNothingIsCloseThenListsTheKnownNames() {
    assertThatThrownBy(() -> TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_COLOUR", "blue")))
        .hasMessageStartingWith("TOKENWARD_COLOUR: unknown setting; known: TOKENWARD_ISSUER, TOKENWARD_AUDIENCE,");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      TOKENWARD_OPAQUE=userinfp           | TOKENWARD_OPAQUE: 'userinfp' is not one of reject, userinfo, introspect; did you mean userinfo?
      TOKENWARD_OPAQUE=sometimes          | TOKENWARD_OPAQUE: 'sometimes' is not one of reject, userinfo, introspect
      TOKENWARD_ALLOW_HTTP=ture           | TOKENWARD_ALLOW_HTTP: 'ture' is not one of true, false; did you mean true?
      TOKENWARD_CLOCK_SKEW_SECONDS=601    | TOKENWARD_CLOCK_SKEW_SECONDS: must be a whole number of seconds from 0 to 600, got 601
      TOKENWARD_CLOCK_SKEW_SECONDS=soon   | TOKENWARD_CLOCK_SKEW_SECONDS: must be a whole number of seconds from 0 to 600, got 'soon'
      TOKENWARD_ISSUER=tenant.example.com | TOKENWARD_ISSUER: must be an absolute https URL, got 'tenant.example.com'
      TOKENWARD_AUDIENCE= , ,             | TOKENWARD_AUDIENCE: lists no value; give one or more, comma-separated
      """)
  void readWhenValueWrongThenFailsNamingTheVariable(String assignment, String message) {
    int eq = assignment.indexOf('=');
    assertThatThrownBy(() -> TokenwardConfig.fromEnvironment(Map.of(assignment.substring(0, eq),
        assignment.substring(eq + 1))))
        .isInstanceOf(ConfigurationException.class).hasMessage(message);
  }

  @Test
  void readWhenSecretValueWrongThenTheSecretIsNeverShown() {
    TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", ISSUER, "TOKENWARD_AUDIENCE",
        API, "TOKENWARD_ALGORITHMS", "HS256", "TOKENWARD_HS256_SECRET", "too-short-secret"));
    assertThat(config.toString()).contains("hs256-secret=(secret)").doesNotContain("too-short-secret");
    assertThatThrownBy(config::validator).isInstanceOf(ConfigurationException.class)
        .hasMessage("TOKENWARD_HS256_SECRET: HS256 needs a secret of at least 256 bits; this one has 128");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      TOKENWARD_AUDIENCE=A                              | TOKENWARD_ISSUER: required
      TOKENWARD_ISSUER=ISS                              | TOKENWARD_AUDIENCE: required when TOKENWARD_ISSUER is set
      TOKENWARD_ISSUER=ISS&TOKENWARD_AUDIENCE=A&TOKENWARD_ALGORITHMS=RS256,HS256 | TOKENWARD_HS256_SECRET: required when TOKENWARD_ALGORITHMS lists HS256
      TOKENWARD_ISSUER=ISS&TOKENWARD_AUDIENCE=A&TOKENWARD_ALGORITHMS=RS256,NONE  | TOKENWARD_ALGORITHMS: 'none' is never allowed
      TOKENWARD_ISSUER=ISS&TOKENWARD_AUDIENCE=A&TOKENWARD_ALGORITHMS=RS257       | TOKENWARD_ALGORITHMS: unknown or unsupported JWS algorithm 'RS257'
      TOKENWARD_ISSUER=ISS&TOKENWARD_AUDIENCE=A&TOKENWARD_OPAQUE=introspect      | TOKENWARD_CLIENT_ID: required when TOKENWARD_OPAQUE=introspect
      TOKENWARD_ISSUER=ISS&TOKENWARD_AUDIENCE=A&TOKENWARD_CLIENT_ID=api          | TOKENWARD_CLIENT_SECRET: required when TOKENWARD_CLIENT_ID is set
      TOKENWARD_ISSUER=ISS&TOKENWARD_AUDIENCE=A&TOKENWARD_CLIENT_SECRET=s        | TOKENWARD_CLIENT_ID: required when TOKENWARD_CLIENT_SECRET is set
      TOKENWARD_ISSUER=http://tenant.example.com/&TOKENWARD_AUDIENCE=A           | TOKENWARD_ISSUER: http is only allowed for loopback hosts; use https, or TOKENWARD_ALLOW_HTTP=true
      TOKENWARD_ISSUER=ISS&TOKENWARD_AUDIENCE=A&TOKENWARD_JWKS_URI=http://keys.example.com/jwks | TOKENWARD_JWKS_URI: http is only allowed for loopback hosts
      TOKENWARD_ISSUER=ISS&TOKENWARD_AUDIENCE=A&TOKENWARD_USERINFO_URI=ftp://example.com/      | TOKENWARD_USERINFO_URI: must be an absolute https URL
      """)
  void validatorWhenCombinationRefusedThenFailsNamingTheVariableToFix(String env, String message) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (String pair : env.split("&")) {
      int eq = pair.indexOf('=');
      map.put(pair.substring(0, eq), pair.substring(eq + 1).replace("ISS", ISSUER));
    }
    assertThatThrownBy(() -> TokenwardConfig.fromEnvironment(map).validator())
        .isInstanceOf(ConfigurationException.class).hasMessageStartingWith(message);
  }

  @Test
  void validatorWhenSecretSetWithoutHmacAlgorithmThenIgnoredWithANote() {
    TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", ISSUER, "TOKENWARD_AUDIENCE",
        API, "TOKENWARD_HS256_SECRET", "unused"));
    assertThat(config.notes()).containsExactly(
        "TOKENWARD_HS256_SECRET is set but ignored, because TOKENWARD_ALGORITHMS lists no HS256/HS384/HS512");
    try (AccessTokenValidator v = config.validator()) {
      assertThat(v.issuers().get(0).algorithms()).containsExactly("RS256");
    }
  }

  @Test
  void validatorWhenJwksStalenessNotLongerThanRefreshThenFailsNamingTheVariable() {
    TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", ISSUER, "TOKENWARD_AUDIENCE",
        API, "TOKENWARD_JWKS_MAX_STALENESS_SECONDS", "120", "TOKENWARD_JWKS_REFRESH_INTERVAL_SECONDS", "600"));
    assertThat(config.get(StandardSettings.JWKS_MAX_STALENESS_SECONDS)).isEqualTo(Duration.ofSeconds(120));
    assertThat(config.get(StandardSettings.JWKS_REFRESH_INTERVAL_SECONDS)).isEqualTo(Duration.ofSeconds(600));
    assertThatThrownBy(config::validator).isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("TOKENWARD_JWKS_MAX_STALENESS_SECONDS: ");
    assertThatThrownBy(() -> TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_JWKS_MAX_STALENESS_SECONDS", "30")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("TOKENWARD_JWKS_MAX_STALENESS_SECONDS: ");
  }

  @Test
  void initParametersWhenUnknownOrRenamedThenNamedAsInitParams() {
    assertThatThrownBy(() -> TokenwardConfig.builder().initParameters(Map.of("audiance", "x")).build())
        .hasMessage("init-param 'audiance': unknown setting; did you mean init-param 'audience'?");
    assertThatThrownBy(() -> TokenwardConfig.builder().initParameters(Map.of("hmac-secret", "x")).build())
        .hasMessage("init-param 'hmac-secret': renamed; use init-param 'hs256-secret'");
    assertThatThrownBy(() -> TokenwardConfig.builder().initParameters(Map.of("opaque-tokens", "x")).build())
        .hasMessage("init-param 'opaque-tokens': renamed; use init-param 'opaque'");
  }

  @Test
  void propertiesWhenMisspeltThenFailsWithDidYouMean() {
    Properties props = new Properties();
    props.setProperty("tokenward.audiance", "x");
    assertThatThrownBy(() -> TokenwardConfig.fromProperties(props))
        .hasMessage("tokenward.audiance: unknown setting; did you mean tokenward.audience?");
  }

  @Test
  void mapWhenPlainKeysThenSameSettings() {
    TokenwardConfig config = TokenwardConfig.fromMap(Map.of("issuer", ISSUER, "audience", API, "clock-skew-seconds", "5"));
    assertThat(config.get(StandardSettings.CLOCK_SKEW_SECONDS)).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.nameOf(StandardSettings.AUDIENCE)).isEqualTo("audience");
  }

  @Test
  void applicationSettingsWhenDeclaredThenReadCheckedAndMisspellingsCaught() {
    Setting<Integer> port = Setting.integer("port", "HTTP port", 0, 65_535).withDefault(8080).withoutPrefix();
    Setting<List<String>> formats = Setting.list("report-formats", "formats the reports endpoint offers");
    TokenwardConfig config = TokenwardConfig.builder().settings(port, formats)
        .environment(Map.of("PORT", "0", "TOKENWARD_REPORT_FORMATS", "csv, pdf")).build();
    assertThat(config.get(port)).isZero();
    assertThat(config.get(formats)).containsExactly("csv", "pdf");
    assertThatThrownBy(() -> TokenwardConfig.builder().settings(port).environment(Map.of("PORT", "eighty")).build())
        .hasMessage("PORT: must be a whole number from 0 to 65535, got 'eighty'");
    assertThatThrownBy(() -> TokenwardConfig.builder().settings(formats)
        .environment(Map.of("TOKENWARD_REPORT_FORMAT", "csv")).build())
        .hasMessage("TOKENWARD_REPORT_FORMAT: unknown setting; did you mean TOKENWARD_REPORT_FORMATS?");
    assertThatThrownBy(() -> TokenwardConfig.fromEnvironment(Map.of()).get(formats))
        .hasMessageStartingWith("setting report-formats was not declared");
    assertThatThrownBy(() -> TokenwardConfig.builder().settings(Setting.string("audience", "mine")))
        .hasMessageStartingWith("setting audience: already declared");
    assertThatThrownBy(() -> TokenwardConfig.builder().settings(Setting.list("step-up-acr", "mine")))
        .as("core's own since the filters' step-up policy reads it").hasMessageStartingWith("setting step-up-acr: already declared");
  }

  @Test
  void stepUpWhenSettingsSetThenThePolicyElseEmpty() {
    assertThat(TokenwardConfig.fromEnvironment(Map.of()).stepUp()).isEmpty();
    StepUp both = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_STEP_UP_ACR", "urn:mfa, urn:hwk",
        "TOKENWARD_STEP_UP_MAX_AGE_SECONDS", "300")).stepUp().orElseThrow();
    assertThat(both.acrValues()).containsExactly("urn:mfa", "urn:hwk");
    assertThat(both.maxAge()).contains(Duration.ofSeconds(300));
    StepUp ageOnly = TokenwardConfig.fromMap(Map.of("step-up-max-age-seconds", "60")).stepUp().orElseThrow();
    assertThat(ageOnly.acrValues()).isEmpty();
    assertThat(ageOnly.maxAge()).contains(Duration.ofSeconds(60));
    assertThatThrownBy(() -> TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_STEP_UP_ACR", "urn:has space")).stepUp())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("TOKENWARD_STEP_UP_ACR: 'urn:has space' is not a single value");
    assertThatThrownBy(() -> TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_STEP_UP_MAX_AGE_SECONDS", "0")))
        .hasMessageStartingWith("TOKENWARD_STEP_UP_MAX_AGE_SECONDS: must be a whole number of seconds from 1");
  }

  @Test
  void withDefaultWhenUnsetThenSuppliesTheValueElseKeepsTheSourceValue() {
    TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_AUDIENCE", API))
        .withDefault(StandardSettings.ISSUER, ISSUER).withDefault(StandardSettings.AUDIENCE, List.of("ignored"));
    assertThat(config.get(StandardSettings.AUDIENCE)).containsExactly(API);
    try (AccessTokenValidator v = config.validator()) {
      assertThat(v.issuers().get(0).issuer()).isEqualTo(ISSUER);
    }
  }

  @Test
  void validatorWhenCustomizedThenTypedSettingsAddToTheTextOnes() {
    TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", ISSUER, "TOKENWARD_AUDIENCE", API));
    try (AccessTokenValidator v = config.validator(b -> b.issuer(TrustedIssuer.builder("https://other.example.com/")
        .audience(API).build()))) {
      assertThat(v.issuers()).extracting(TrustedIssuer::issuer).containsExactly(ISSUER, "https://other.example.com/");
    }
  }

  @Test
  void readmeWhenListingTheSettingsThenHasARowForEveryKey() throws java.io.IOException {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
    for (Setting<?> s : StandardSettings.all()) {
      assertThat(readme).as("README row for %s", s.key()).contains("| `" + s.key() + "` | `" + s.environmentVariable()
          + "` | `" + s.systemProperty() + "` |");
    }
  }

  @Test
  void didYouMeanWhenSwappedLettersThenOneEdit() {
    assertThat(DidYouMean.distance("opaqeu", "opaque")).isEqualTo(1);
    assertThat(DidYouMean.closest("audiance", List.of("audience", "algorithms"))).isEqualTo("audience");
    assertThat(DidYouMean.closest("colour", List.of("audience", "algorithms"))).isNull();
  }
}
