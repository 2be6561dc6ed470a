package dev.tokenward.samples.support;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.OpaqueTokenPolicy;
import dev.tokenward.core.ProtectedResourceMetadata;
import dev.tokenward.core.StepUp;
import dev.tokenward.test.TestIssuer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The environment variables of the samples' runtime contract, read and checked in one place.
 *
 * <p>{@link #fromEnvironment(Map)} checks every variable that can be checked without an issuer;
 * {@link #validator(TestIssuer)} builds the {@link AccessTokenValidator}. Both fail with a
 * {@link ConfigurationException} whose one-line message starts with the variable at fault. An
 * issuer that cannot be reached is not a configuration error: nothing here contacts it. A blank
 * value counts as unset.
 */
public final class SampleConfiguration {
  public static final String PORT = "PORT";
  public static final String ISSUER = "TOKENWARD_ISSUER";
  public static final String AUDIENCE = "TOKENWARD_AUDIENCE";
  public static final String JWKS_URI = "TOKENWARD_JWKS_URI";
  public static final String ALGORITHMS = "TOKENWARD_ALGORITHMS";
  public static final String HS256_SECRET = "TOKENWARD_HS256_SECRET";
  public static final String CLOCK_SKEW_SECONDS = "TOKENWARD_CLOCK_SKEW_SECONDS";
  public static final String OPAQUE = "TOKENWARD_OPAQUE";
  public static final String USERINFO_URI = "TOKENWARD_USERINFO_URI";
  public static final String INTROSPECTION_URI = "TOKENWARD_INTROSPECTION_URI";
  public static final String CLIENT_ID = "TOKENWARD_CLIENT_ID";
  public static final String CLIENT_SECRET = "TOKENWARD_CLIENT_SECRET";
  public static final String ALLOW_HTTP = "TOKENWARD_ALLOW_HTTP";
  /** The resource identifier (RFC 9728 {@code resource}); unset: the URL the request arrived on, without path. */
  public static final String RESOURCE = "TOKENWARD_RESOURCE";
  /** The sample's own: {@code acr} values that count as strong authentication at {@code /api/step-up}. */
  public static final String STEP_UP_ACR = "TOKENWARD_STEP_UP_ACR";
  /** The sample's own: how old {@code auth_time} may be at {@code /api/step-up}. */
  public static final String STEP_UP_MAX_AGE_SECONDS = "TOKENWARD_STEP_UP_MAX_AGE_SECONDS";

  /** Every variable of the contract, in the order of its table. */
  public static final List<String> VARIABLES = List.of(PORT, ISSUER, AUDIENCE, JWKS_URI, ALGORITHMS, HS256_SECRET,
      CLOCK_SKEW_SECONDS, OPAQUE, USERINFO_URI, INTROSPECTION_URI, CLIENT_ID, CLIENT_SECRET, ALLOW_HTTP, RESOURCE,
      STEP_UP_ACR, STEP_UP_MAX_AGE_SECONDS);

  /** Auth0's {@code acr} after multi-factor authentication, the default of {@link #STEP_UP_ACR}. */
  public static final String MFA_ACR = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";
  public static final int DEFAULT_STEP_UP_MAX_AGE_SECONDS = 300;

  public static final int DEFAULT_PORT = 8080;
  public static final List<String> DEFAULT_ALGORITHMS = List.of("RS256");
  public static final int DEFAULT_CLOCK_SKEW_SECONDS = 60;
  public static final int MAX_CLOCK_SKEW_SECONDS = 600;

  private final int port;
  private final String issuer; // null: the embedded dev issuer
  private final List<String> audiences; // empty: the dev issuer's API
  private final String jwksUri;
  private final List<String> algorithms;
  private final byte[] hmacSecret; // null unless set AND an HS algorithm is listed
  private final boolean hmacSecretIgnored;
  private final int clockSkewSeconds;
  private final OpaqueTokenPolicy opaqueTokens;
  private final String userinfoUri;
  private final String introspectionUri;
  private final String clientId;
  private final String clientSecret;
  private final boolean allowHttp;
  private final String resource; // null: taken from each request
  private final StepUp stepUp;

  private SampleConfiguration(Map<String, String> env) {
    this.allowHttp = bool(env, ALLOW_HTTP);
    this.port = port(env);
    this.issuer = uri(env, ISSUER);
    this.audiences = list(env, AUDIENCE);
    if (issuer != null && audiences.isEmpty()) {
      throw new ConfigurationException(AUDIENCE, "required when " + ISSUER + " is set: the API identifier that tokens "
          + "must carry in 'aud' (Auth0: the API's Identifier, e.g. https://api.example.com)");
    }
    this.jwksUri = uri(env, JWKS_URI);
    List<String> algs = value(env, ALGORITHMS) == null ? DEFAULT_ALGORITHMS : list(env, ALGORITHMS);
    if (algs.isEmpty()) {
      throw new ConfigurationException(ALGORITHMS, "lists no algorithm; give e.g. RS256");
    }
    for (String alg : algs) {
      if (alg.equalsIgnoreCase("none")) {
        throw new ConfigurationException(ALGORITHMS, "'none' is never allowed: unsigned tokens prove nothing");
      }
    }
    this.algorithms = algs;
    boolean hmac = algs.stream().anyMatch(a -> a.startsWith("HS"));
    String secret = value(env, HS256_SECRET);
    if (hmac && secret == null) {
      throw new ConfigurationException(HS256_SECRET, "required when " + ALGORITHMS + " lists "
          + algs.stream().filter(a -> a.startsWith("HS")).findFirst().orElseThrow()
          + " (Auth0: the API's Signing Secret)");
    }
    this.hmacSecret = hmac ? secret.getBytes(StandardCharsets.UTF_8) : null;
    this.hmacSecretIgnored = !hmac && secret != null;
    this.clockSkewSeconds = clockSkew(env);
    this.opaqueTokens = opaque(env);
    this.userinfoUri = uri(env, USERINFO_URI);
    this.introspectionUri = uri(env, INTROSPECTION_URI);
    this.clientId = value(env, CLIENT_ID);
    this.clientSecret = value(env, CLIENT_SECRET);
    if (clientId != null && clientSecret == null) {
      throw new ConfigurationException(CLIENT_SECRET, "required when " + CLIENT_ID + " is set");
    }
    if (clientSecret != null && clientId == null) {
      throw new ConfigurationException(CLIENT_ID, "required when " + CLIENT_SECRET + " is set");
    }
    if (clientId == null && issuer != null) {
      if (opaqueTokens == OpaqueTokenPolicy.INTROSPECT) {
        throw new ConfigurationException(CLIENT_ID, "required when " + OPAQUE + "=introspect: the API's own client "
            + "credentials for the introspection endpoint (with " + CLIENT_SECRET + ")");
      }
      if (introspectionUri != null) {
        throw new ConfigurationException(CLIENT_ID, "required when " + INTROSPECTION_URI + " is set: the API's own "
            + "client credentials for it (with " + CLIENT_SECRET + ")");
      }
    }
    this.resource = resource(env);
    this.stepUp = stepUp(env);
  }

  /**
   * Reads the contract's variables from {@code env} (normally {@link System#getenv()}).
   *
   * @throws ConfigurationException naming the first variable at fault
   */
  public static SampleConfiguration fromEnvironment(Map<String, String> env) {
    return new SampleConfiguration(env);
  }

  /** {@code PORT}; 0 picks a free port. */
  public int port() {
    return port;
  }

  /** {@code TOKENWARD_ISSUER}, or empty when the embedded dev issuer is to be started. */
  public Optional<String> issuer() {
    return Optional.ofNullable(issuer);
  }

  /** True when {@code TOKENWARD_ISSUER} is unset. */
  public boolean usesDevIssuer() {
    return issuer == null;
  }

  /** {@code TOKENWARD_OPAQUE}. */
  public OpaqueTokenPolicy opaqueTokens() {
    return opaqueTokens;
  }

  /** The accepted audiences; with the dev issuer and no {@code TOKENWARD_AUDIENCE}, its API. */
  public List<String> audiences() {
    return audiences.isEmpty() ? List.of(TestIssuer.DEFAULT_API) : audiences;
  }

  /** {@code TOKENWARD_ALGORITHMS}. */
  public List<String> algorithms() {
    return algorithms;
  }

  /** {@code TOKENWARD_CLOCK_SKEW_SECONDS}. */
  public int clockSkewSeconds() {
    return clockSkewSeconds;
  }

  /** {@code TOKENWARD_RESOURCE}, or empty when the identifier is taken from each request. */
  public Optional<String> resource() {
    return Optional.ofNullable(resource);
  }

  /** The step-up policy of {@code /api/step-up}: {@code TOKENWARD_STEP_UP_ACR} and {@code TOKENWARD_STEP_UP_MAX_AGE_SECONDS}. */
  public StepUp stepUp() {
    return stepUp;
  }

  /** The RFC 9728 metadata the sample publishes: the validator's issuer, and {@code TOKENWARD_RESOURCE} if set. */
  public ProtectedResourceMetadata resourceMetadata(AccessTokenValidator validator) {
    ProtectedResourceMetadata.Builder b = ProtectedResourceMetadata.builder(validator);
    if (resource != null) {
      b.resource(resource);
    }
    return b.build();
  }

  /**
   * Builds the validator. With the dev issuer (which must then be given, started), its issuer URL
   * is used, and for {@code TOKENWARD_OPAQUE=introspect} without client credentials its
   * {@code demo-client}.
   *
   * @throws ConfigurationException when tokenward core refuses the combination
   */
  public AccessTokenValidator validator(TestIssuer devIssuer) {
    if (usesDevIssuer() && devIssuer == null) {
      throw new IllegalArgumentException("no " + ISSUER + " is set: pass the started dev issuer");
    }
    String iss = usesDevIssuer() ? devIssuer.issuer() : issuer;
    String id = clientId;
    String secret = clientSecret;
    if (id == null && usesDevIssuer() && (opaqueTokens == OpaqueTokenPolicy.INTROSPECT || introspectionUri != null)) {
      id = TestIssuer.DEMO_CLIENT;
      secret = TestIssuer.DEMO_SECRET;
    }
    try {
      AccessTokenValidator.Builder b = AccessTokenValidator.builder().issuer(iss)
          .audience(audiences().toArray(new String[0]))
          .algorithms(algorithms.toArray(new String[0]))
          .clockSkew(Duration.ofSeconds(clockSkewSeconds))
          .opaqueTokens(opaqueTokens)
          .allowHttp(allowHttp);
      if (jwksUri != null) {
        b.jwksUri(jwksUri);
      }
      if (hmacSecret != null) {
        b.hmacSecret(hmacSecret);
      }
      if (userinfoUri != null) {
        b.userinfoUri(userinfoUri);
      }
      if (id != null) {
        b.introspection(introspectionUri, id, secret);
      }
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw fromCore(e);
    }
  }

  /** What the sample will accept, in a few lines for its start-up output; no secret is shown. */
  public List<String> describe(String issuerInUse) {
    List<String> lines = new ArrayList<>();
    lines.add("accepts access tokens of " + issuerInUse + " for " + String.join(", ", audiences()) + " (algorithms "
        + String.join(", ", algorithms) + "; opaque tokens: " + opaqueTokens.name().toLowerCase(Locale.ROOT) + ")");
    if (hmacSecretIgnored) {
      lines.add("note: " + HS256_SECRET + " is set but ignored, because " + ALGORITHMS + " lists no HS256");
    }
    return lines;
  }

  // ------------------------------------------------------------------ parsing

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static List<String> list(Map<String, String> env, String name) {
    String v = value(env, name);
    LinkedHashSet<String> out = new LinkedHashSet<>();
    if (v != null) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
    return List.copyOf(out);
  }

  private static int port(Map<String, String> env) {
    String v = value(env, PORT);
    if (v == null) {
      return DEFAULT_PORT;
    }
    try {
      int p = Integer.parseInt(v);
      if (p >= 0 && p <= 65_535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigurationException(PORT, "must be a port number from 0 to 65535 (0 picks a free one), got '" + v + "'");
  }

  private static int clockSkew(Map<String, String> env) {
    String v = value(env, CLOCK_SKEW_SECONDS);
    if (v == null) {
      return DEFAULT_CLOCK_SKEW_SECONDS;
    }
    try {
      int s = Integer.parseInt(v);
      if (s >= 0 && s <= MAX_CLOCK_SKEW_SECONDS) {
        return s;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigurationException(CLOCK_SKEW_SECONDS, "must be a whole number of seconds from 0 to "
        + MAX_CLOCK_SKEW_SECONDS + ", got '" + v + "'");
  }

  private static String resource(Map<String, String> env) {
    String v = value(env, RESOURCE);
    if (v == null) {
      return null;
    }
    try {
      ProtectedResourceMetadata.builder().resource(v);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(RESOURCE, String.valueOf(e.getMessage()).replaceFirst("^resource: ", ""));
    }
    return v;
  }

  private static StepUp stepUp(Map<String, String> env) {
    List<String> acr = value(env, STEP_UP_ACR) == null ? List.of(MFA_ACR) : list(env, STEP_UP_ACR);
    if (acr.isEmpty()) {
      throw new ConfigurationException(STEP_UP_ACR, "lists no value; give e.g. " + MFA_ACR);
    }
    String age = value(env, STEP_UP_MAX_AGE_SECONDS);
    long seconds = DEFAULT_STEP_UP_MAX_AGE_SECONDS;
    if (age != null) {
      try {
        seconds = Long.parseLong(age);
      } catch (NumberFormatException e) {
        seconds = -1;
      }
      if (seconds < 1 || seconds > 31_536_000) {
        throw new ConfigurationException(STEP_UP_MAX_AGE_SECONDS, "must be a whole number of seconds from 1 to 31536000, "
            + "got '" + age + "'");
      }
    }
    try {
      return StepUp.builder().acr(acr.toArray(new String[0])).maxAge(Duration.ofSeconds(seconds)).build();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(STEP_UP_ACR, String.valueOf(e.getMessage()).replaceFirst("^acr: ", ""));
    }
  }

  private static OpaqueTokenPolicy opaque(Map<String, String> env) {
    String v = value(env, OPAQUE);
    if (v == null) {
      return OpaqueTokenPolicy.REJECT;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "reject" -> OpaqueTokenPolicy.REJECT;
      case "userinfo" -> OpaqueTokenPolicy.USERINFO;
      case "introspect" -> OpaqueTokenPolicy.INTROSPECT;
      default -> throw new ConfigurationException(OPAQUE, "must be reject, userinfo or introspect, got '" + v + "'");
    };
  }

  private static boolean bool(Map<String, String> env, String name) {
    String v = value(env, name);
    if (v == null || v.equalsIgnoreCase("false")) {
      return false;
    }
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    throw new ConfigurationException(name, "must be true or false, got '" + v + "'");
  }

  /** An absolute http(s) URL; http only for loopback hosts unless TOKENWARD_ALLOW_HTTP=true. */
  private String uri(Map<String, String> env, String name) {
    String v = value(env, name);
    if (v == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(v);
    } catch (URISyntaxException e) {
      throw new ConfigurationException(name, "not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
      throw new ConfigurationException(name, "must be an absolute https URL, got '" + v + "'");
    }
    if (scheme.equals("http") && !allowHttp && !isLoopback(uri.getHost())) {
      throw new ConfigurationException(name, "must use https: plain http is only allowed for a loopback host "
          + "(127.0.0.1, localhost); set " + ALLOW_HTTP + "=true only if a TLS-terminating proxy sits in between");
    }
    return v;
  }

  /** Only {@code localhost} and loopback IP literals, as core decides it: 127.attacker.example is not loopback. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost")) {
      return true;
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.indexOf(':') >= 0) {
      try { // a text with a colon is parsed as an IPv6 literal, never looked up
        return h.matches("[0-9a-f:.]+") && java.net.InetAddress.getByName("[" + h + "]").isLoopbackAddress();
      } catch (java.net.UnknownHostException e) {
        return false;
      }
    }
    return h.matches("127(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  }

  /** Core names the setting first ("algorithms: ..."); the sample names the variable instead. */
  private ConfigurationException fromCore(RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    int colon = message.indexOf(": ");
    String setting = colon < 0 ? "" : message.substring(0, colon);
    String problem = colon < 0 ? message : message.substring(colon + 2);
    String variable = switch (setting) {
      case "issuer" -> ISSUER;
      case "audience" -> AUDIENCE;
      case "algorithms" -> ALGORITHMS;
      case "hmacSecret" -> HS256_SECRET;
      case "clockSkew" -> CLOCK_SKEW_SECONDS;
      case "opaqueTokens" -> OPAQUE;
      case "jwksUri" -> JWKS_URI;
      case "userinfoUri" -> USERINFO_URI;
      case "introspection" -> INTROSPECTION_URI;
      default -> variableWithValue(setting.startsWith("endpoint ") ? setting.substring(9) : setting);
    };
    problem = problem.replace("hmacSecret", HS256_SECRET).replace("allowHttp(true)", ALLOW_HTTP + "=true");
    return new ConfigurationException(variable, problem, e);
  }

  private String variableWithValue(String uri) {
    if (uri.equals(jwksUri)) {
      return JWKS_URI;
    }
    if (uri.equals(userinfoUri)) {
      return USERINFO_URI;
    }
    if (uri.equals(introspectionUri)) {
      return INTROSPECTION_URI;
    }
    return ISSUER;
  }
}
