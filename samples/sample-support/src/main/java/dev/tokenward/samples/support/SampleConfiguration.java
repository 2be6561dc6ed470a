package dev.tokenward.samples.support;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.DpopPolicy;
import dev.tokenward.core.OpaqueTokenPolicy;
import dev.tokenward.core.ProtectedResourceMetadata;
import dev.tokenward.core.Setting;
import dev.tokenward.core.StandardSettings;
import dev.tokenward.core.StepUp;
import dev.tokenward.core.TokenwardConfig;
import dev.tokenward.test.TestIssuer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The samples' environment, read by tokenward core's settings model ({@link TokenwardConfig}),
 * plus the samples' own: {@code PORT} and the step-up policy of {@code /api/step-up} (an
 * application's values, declared here as application settings). Core checks every value when it is
 * read (an unknown {@code TOKENWARD_*} variable or a misspelt value is an error with a "did you
 * mean"), and every combination when the validator is built; what is left here is the embedded dev
 * issuer, used when {@code TOKENWARD_ISSUER} is unset.
 */
public final class SampleConfiguration {
  private final SampleMetrics metrics = new SampleMetrics();
  /** The samples' own setting: the HTTP port (0 picks a free one). */
  public static final Setting<Integer> PORT_SETTING = Setting.integer("port",
      "HTTP port of the sample API (0 = pick a free one, and print it)", 0, 65_535).withDefault(8080).withoutPrefix();

  /** Auth0's {@code acr} after multi-factor authentication, the default of {@link #STEP_UP_ACR}. */
  public static final String MFA_ACR = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";
  /** The default of {@link #STEP_UP_MAX_AGE_SECONDS}. */
  public static final int DEFAULT_STEP_UP_MAX_AGE_SECONDS = 300;
  /** Core's setting, defaulted by the samples to {@link #MFA_ACR}: {@code acr} values that count as strong authentication. */
  public static final Setting<List<String>> STEP_UP_ACR_SETTING = StandardSettings.STEP_UP_ACR;
  /** Core's setting, defaulted by the samples to {@link #DEFAULT_STEP_UP_MAX_AGE_SECONDS}: how old {@code auth_time} may be. */
  public static final Setting<Duration> STEP_UP_MAX_AGE_SECONDS_SETTING = StandardSettings.STEP_UP_MAX_AGE_SECONDS;

  /** The sample's own: the file of the DPoP key that the printed "Try it" commands sign proofs with. */
  public static final Setting<String> DPOP_KEY_FILE_SETTING = Setting.string("dpop-key-file",
      "file of the ES256 key the printed DPoP example signs proofs with (made on first use, mode 600)")
      .withDefault(DpopProofCommand.defaultKeyFile().toString());

  /** The settings a sample reads besides core's. */
  public static final List<Setting<?>> SAMPLE_SETTINGS = List.of(PORT_SETTING, DPOP_KEY_FILE_SETTING);

  /** The variable of the HTTP port: {@code PORT}. */
  public static final String PORT = PORT_SETTING.environmentVariable();
  /** The variable of the issuer: {@code TOKENWARD_ISSUER}. */
  public static final String ISSUER = StandardSettings.ISSUER.environmentVariable();
  /** The variable of the API identifiers: {@code TOKENWARD_AUDIENCE}. */
  public static final String AUDIENCE = StandardSettings.AUDIENCE.environmentVariable();
  /** The variable of the JWKS location: {@code TOKENWARD_JWKS_URI}. */
  public static final String JWKS_URI = StandardSettings.JWKS_URI.environmentVariable();
  /** The variable of the accepted algorithms: {@code TOKENWARD_ALGORITHMS}. */
  public static final String ALGORITHMS = StandardSettings.ALGORITHMS.environmentVariable();
  /** The variable of the HS256 secret: {@code TOKENWARD_HS256_SECRET}. */
  public static final String HS256_SECRET = StandardSettings.HS256_SECRET.environmentVariable();
  /** The variable of the clock skew: {@code TOKENWARD_CLOCK_SKEW_SECONDS}. */
  public static final String CLOCK_SKEW_SECONDS = StandardSettings.CLOCK_SKEW_SECONDS.environmentVariable();
  /** The variable of the opaque-token policy: {@code TOKENWARD_OPAQUE}. */
  public static final String OPAQUE = StandardSettings.OPAQUE.environmentVariable();
  /** The variable of the userinfo endpoint: {@code TOKENWARD_USERINFO_URI}. */
  public static final String USERINFO_URI = StandardSettings.USERINFO_URI.environmentVariable();
  /** The variable of the introspection endpoint: {@code TOKENWARD_INTROSPECTION_URI}. */
  public static final String INTROSPECTION_URI = StandardSettings.INTROSPECTION_URI.environmentVariable();
  /** The variable of the API's client id: {@code TOKENWARD_CLIENT_ID}. */
  public static final String CLIENT_ID = StandardSettings.CLIENT_ID.environmentVariable();
  /** The variable of the API's client secret: {@code TOKENWARD_CLIENT_SECRET}. */
  public static final String CLIENT_SECRET = StandardSettings.CLIENT_SECRET.environmentVariable();
  /** The variable of plain http for a remote issuer: {@code TOKENWARD_ALLOW_HTTP}. */
  public static final String ALLOW_HTTP = StandardSettings.ALLOW_HTTP.environmentVariable();

  /** The variable of the resource identifier (RFC 9728 {@code resource}): {@code TOKENWARD_RESOURCE}. */
  public static final String RESOURCE = StandardSettings.RESOURCE.environmentVariable();
  /** The variable of the DPoP policy, off, allowed or required: {@code TOKENWARD_DPOP}. */
  public static final String DPOP = StandardSettings.DPOP.environmentVariable();
  /** The variable that makes every DPoP proof carry a server nonce: {@code TOKENWARD_DPOP_NONCE}. */
  public static final String DPOP_NONCE = StandardSettings.DPOP_NONCE.environmentVariable();
  /** The variable of the DPoP proof algorithms: {@code TOKENWARD_DPOP_ALGORITHMS}. */
  public static final String DPOP_ALGORITHMS = StandardSettings.DPOP_ALGORITHMS.environmentVariable();
  /** The variable of a DPoP proof's maximum age: {@code TOKENWARD_DPOP_MAX_AGE_SECONDS}. */
  public static final String DPOP_MAX_AGE_SECONDS = StandardSettings.DPOP_MAX_AGE_SECONDS.environmentVariable();
  /** The variable of the external base URL a proof's {@code htu} is compared with: {@code TOKENWARD_BASE_URL}. */
  public static final String BASE_URL = StandardSettings.BASE_URL.environmentVariable();
  /** The variable of the step-up {@code acr} values: {@code TOKENWARD_STEP_UP_ACR}. */
  public static final String STEP_UP_ACR = STEP_UP_ACR_SETTING.environmentVariable();
  /** The variable of the step-up maximum age: {@code TOKENWARD_STEP_UP_MAX_AGE_SECONDS}. */
  public static final String STEP_UP_MAX_AGE_SECONDS = STEP_UP_MAX_AGE_SECONDS_SETTING.environmentVariable();

  /** The variable of the DPoP example's key file: {@code TOKENWARD_DPOP_KEY_FILE}. */
  public static final String DPOP_KEY_FILE = DPOP_KEY_FILE_SETTING.environmentVariable();

  /** Every environment variable a sample reads: {@code PORT} and each of core's settings. */
  public static final List<String> VARIABLES = variables();

  private final TokenwardConfig config;
  private final StepUp stepUp;

  private SampleConfiguration(TokenwardConfig read) {
    TokenwardConfig config = read.withDefault(STEP_UP_ACR_SETTING, List.of(MFA_ACR))
        .withDefault(STEP_UP_MAX_AGE_SECONDS_SETTING, Duration.ofSeconds(DEFAULT_STEP_UP_MAX_AGE_SECONDS));
    this.config = config;
    config.find(StandardSettings.RESOURCE).ifPresent(resource -> {
      try {
        ProtectedResourceMetadata.builder().resource(resource);
      } catch (IllegalArgumentException e) {
        throw config.error(StandardSettings.RESOURCE, String.valueOf(e.getMessage()).replaceFirst("^resource: ", ""));
      }
    });
    this.stepUp = config.stepUp().orElseThrow(); // both are set, by the environment or by the defaults above
  }

  /**
   * Reads the environment (normally {@link System#getenv()}).
   *
   * @throws dev.tokenward.core.ConfigurationException naming the first variable at fault
   */
  public static SampleConfiguration fromEnvironment(Map<String, String> env) {
    return new SampleConfiguration(TokenwardConfig.builder().settings(SAMPLE_SETTINGS).environment(env).build());
  }

  /** Every setting as read, for the parts of a sample that read one of their own. */
  public TokenwardConfig settings() {
    return config;
  }

  /** {@code PORT}; 0 picks a free port. */
  public int port() {
    return config.get(PORT_SETTING);
  }

  /** {@code TOKENWARD_ISSUER}, or empty when the embedded dev issuer is to be started. */
  public Optional<String> issuer() {
    return config.find(StandardSettings.ISSUER);
  }

  /** True when {@code TOKENWARD_ISSUER} is unset. */
  public boolean usesDevIssuer() {
    return issuer().isEmpty();
  }

  /** {@code TOKENWARD_OPAQUE}. */
  public OpaqueTokenPolicy opaqueTokens() {
    return config.get(StandardSettings.OPAQUE);
  }

  /** The accepted audiences; with the dev issuer and no {@code TOKENWARD_AUDIENCE}, its API. */
  public List<String> audiences() {
    return config.find(StandardSettings.AUDIENCE)
        .orElse(usesDevIssuer() ? List.of(TestIssuer.DEFAULT_API) : List.of());
  }

  /** {@code TOKENWARD_ALGORITHMS}. */
  public List<String> algorithms() {
    return config.get(StandardSettings.ALGORITHMS);
  }

  /** {@code TOKENWARD_CLOCK_SKEW_SECONDS}. */
  public int clockSkewSeconds() {
    return (int) config.get(StandardSettings.CLOCK_SKEW_SECONDS).toSeconds();
  }

  /** {@code TOKENWARD_DPOP}. */
  public DpopPolicy dpop() {
    return config.get(StandardSettings.DPOP);
  }

  /** {@code TOKENWARD_DPOP_NONCE}. */
  public boolean dpopNonce() {
    return config.get(StandardSettings.DPOP_NONCE);
  }

  /** {@code TOKENWARD_BASE_URL}, or empty when {@code htu} is the URL the request arrived on. */
  public Optional<String> baseUrl() {
    return config.find(StandardSettings.BASE_URL);
  }

  /** {@code TOKENWARD_DPOP_KEY_FILE}: the key the printed DPoP example signs with. */
  public java.nio.file.Path dpopKeyFile() {
    return java.nio.file.Path.of(config.get(DPOP_KEY_FILE_SETTING));
  }

  /** {@code TOKENWARD_RESOURCE}, or empty when the identifier is taken from each request. */
  public Optional<String> resource() {
    return config.find(StandardSettings.RESOURCE);
  }

  /** The step-up policy of {@code /api/step-up}: {@code TOKENWARD_STEP_UP_ACR} and {@code TOKENWARD_STEP_UP_MAX_AGE_SECONDS}. */
  public StepUp stepUp() {
    return stepUp;
  }

  /** The RFC 9728 metadata the sample publishes: the validator's issuer, and {@code TOKENWARD_RESOURCE} if set. */
  public ProtectedResourceMetadata resourceMetadata(AccessTokenValidator validator) {
    // both filters pass DPoP requests to the validator, so the document says what it accepts (unless TOKENWARD_DPOP=off)
    ProtectedResourceMetadata.Builder b = ProtectedResourceMetadata.builder(validator).dpopFrom(validator);
    resource().ifPresent(b::resource);
    return b.build();
  }

  /**
   * Builds the validator. With the dev issuer (which must then be given, started), its issuer URL
   * and API are the defaults, and for {@code TOKENWARD_OPAQUE=introspect} without client
   * credentials its {@code demo-client}.
   *
   * @throws dev.tokenward.core.ConfigurationException naming the variable core refuses
   */
  public AccessTokenValidator validator(TestIssuer devIssuer) {
    return devConfig(devIssuer).validator(b -> b.listener(metrics.listener()));
  }

  /** The meters of the validator this configuration builds, for {@code GET /metrics}. */
  public SampleMetrics metrics() {
    return metrics;
  }

  /** The settings with the dev issuer's values as defaults when {@code TOKENWARD_ISSUER} is unset. */
  public TokenwardConfig devConfig(TestIssuer devIssuer) {
    if (!usesDevIssuer()) {
      return config;
    }
    if (devIssuer == null) {
      throw new IllegalArgumentException("no " + ISSUER + " is set: pass the started dev issuer");
    }
    TokenwardConfig c = config.withDefault(StandardSettings.ISSUER, devIssuer.issuer())
        .withDefault(StandardSettings.AUDIENCE, List.of(TestIssuer.DEFAULT_API));
    boolean introspects = opaqueTokens() == OpaqueTokenPolicy.INTROSPECT || c.isSet(StandardSettings.INTROSPECTION_URI);
    if (introspects && !c.isSet(StandardSettings.CLIENT_ID) && !c.isSet(StandardSettings.CLIENT_SECRET)) {
      c = c.withDefault(StandardSettings.CLIENT_ID, TestIssuer.DEMO_CLIENT)
          .withDefault(StandardSettings.CLIENT_SECRET, TestIssuer.DEMO_SECRET);
    }
    return c;
  }

  /** What the sample will accept, in a few lines for its start-up output; no secret is shown. */
  public List<String> describe(String issuerInUse) {
    List<String> lines = new ArrayList<>();
    lines.add("accepts access tokens of " + issuerInUse + " for " + String.join(", ", audiences()) + " (algorithms "
        + String.join(", ", algorithms()) + "; opaque tokens: " + opaqueTokens().name().toLowerCase(Locale.ROOT) + ")");
    if (config.isSet(StandardSettings.REDIS_URI)) { // never the URI itself: it may hold a password
      lines.add("shares DPoP replay records and userinfo/introspection answers with the other replicas on the Redis of "
          + config.nameOf(StandardSettings.REDIS_URI) + " (tokenward-redis)");
    }
    config.notes().forEach(note -> lines.add("note: " + note));
    return lines;
  }

  private static List<String> variables() {
    List<String> names = new ArrayList<>();
    SAMPLE_SETTINGS.forEach(s -> names.add(s.environmentVariable()));
    StandardSettings.all().forEach(s -> names.add(s.environmentVariable()));
    return List.copyOf(names);
  }
}
