package dev.tokenward.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * tokenward's settings: the one table of every key it reads from the environment, system
 * properties, a {@code Properties}/{@code Map} or servlet init-parameters (see {@link Setting} for
 * how one key is spelt in each, and {@link TokenwardConfig} for reading them).
 *
 * <p>Adding a key is one line here. A key that configures the validator names the
 * {@link AccessTokenValidator.Builder} method it is the text form of and how to apply it
 * ({@code validator(...)}); any other key is only declared ({@code declare(...)}) and read by the
 * component it configures with {@link TokenwardConfig#get(Setting)}.
 */
public final class StandardSettings {
  private static final List<Setting<?>> ALL = new ArrayList<>();
  private static final Map<Setting<?>, ValidatorKey<?>> VALIDATOR_KEYS = new LinkedHashMap<>();

  // ---- the validator (AccessTokenValidator.Builder)

  /** The exact {@code iss} of the trusted authorization server (Auth0: {@code https://TENANT.auth0.com/}). */
  public static final Setting<String> ISSUER = validator("issuer", Setting.url("issuer",
      "expected iss, exactly as the authorization server writes it; its discovery document names the JWKS and userinfo URIs unless given"),
      AccessTokenValidator.Builder::issuer);
  /** API identifiers of which {@code aud} must contain one. */
  public static final Setting<List<String>> AUDIENCE = validator("audience", Setting.list("audience",
      "the API identifier(s) that must appear in aud, comma-separated"), (b, v) -> b.audience(v.toArray(String[]::new)));
  /** The JWKS location, skipping discovery. */
  public static final Setting<String> JWKS_URI = validator("jwksUri", Setting.url("jwks-uri",
      "JWKS location, skipping discovery"), AccessTokenValidator.Builder::jwksUri);
  /** Accepted JWS algorithms. */
  public static final Setting<List<String>> ALGORITHMS = validator("algorithms", Setting.list("algorithms",
      "accepted JWS algorithms, comma-separated").withDefault(List.of("RS256")), (b, v) -> b.algorithms(v.toArray(String[]::new)));
  /** The shared secret of an HS256 (HS384, HS512) API. */
  public static final Setting<String> HS256_SECRET = validator("hmacSecret", Setting.secret("hs256-secret",
      "the API's shared secret for HS256 (HS384/HS512); used only if algorithms lists one of them"),
      (b, v) -> b.hmacSecret(v.getBytes(StandardCharsets.UTF_8)));
  /** Leeway for {@code exp}, {@code nbf} and {@code iat}. */
  public static final Setting<java.time.Duration> CLOCK_SKEW_SECONDS = validator("clockSkew", Setting.seconds(
      "clock-skew-seconds", "leeway for exp, nbf and iat, 0 to 600", 0, 600).withDefault(java.time.Duration.ofSeconds(60)),
      AccessTokenValidator.Builder::clockSkew);
  /** What happens to a token that is not a JWS. */
  public static final Setting<OpaqueTokenPolicy> OPAQUE = validator("opaqueTokens", Setting.oneOf("opaque",
      "tokens that are not a JWS: reject, userinfo (ask the userinfo endpoint) or introspect (RFC 7662)",
      OpaqueTokenPolicy.class).withDefault(OpaqueTokenPolicy.REJECT), AccessTokenValidator.Builder::opaqueTokens);
  /** The userinfo endpoint. */
  public static final Setting<String> USERINFO_URI = validator("userinfoUri", Setting.url("userinfo-uri",
      "userinfo endpoint, instead of discovery's"), AccessTokenValidator.Builder::userinfoUri);
  /** The RFC 7662 introspection endpoint; applied with the client credentials by {@code introspection(uri, id, secret)}. */
  public static final Setting<String> INTROSPECTION_URI = validator("introspection", Setting.url("introspection-uri",
      "RFC 7662 introspection endpoint, instead of discovery's"), null);
  /** The API's own client id, for introspection. */
  public static final Setting<String> CLIENT_ID = validator("introspection", Setting.string("client-id",
      "the API's own client id, for introspection"), null);
  /** The API's own client secret, for introspection. */
  public static final Setting<String> CLIENT_SECRET = validator("introspection", Setting.secret("client-secret",
      "the API's own client secret, for introspection"), null);
  /** Allows {@code http://} for an issuer that is not loopback. */
  public static final Setting<Boolean> ALLOW_HTTP = validator("allowHttp", Setting.bool("allow-http",
      "true allows an http:// issuer and endpoints that are not loopback (loopback is always allowed)"),
      AccessTokenValidator.Builder::allowHttp);
  /** Refuse tokens whose {@code iat} is older. */
  public static final Setting<java.time.Duration> MAX_TOKEN_AGE_SECONDS = validator("maxTokenAge", Setting.seconds(
      "max-token-age-seconds", "refuse tokens whose iat is older than this", 1, Integer.MAX_VALUE),
      AccessTokenValidator.Builder::maxTokenAge);
  /** Strict RFC 9068: the header {@code typ} must be {@code at+jwt}. */
  public static final Setting<Boolean> REQUIRE_ACCESS_TOKEN_TYPE = validator("requireAccessTokenType", Setting.bool(
      "require-access-token-type", "true requires the RFC 9068 header typ at+jwt"),
      AccessTokenValidator.Builder::requireAccessTokenType);
  /** Longest token accepted. */
  public static final Setting<Integer> MAX_TOKEN_LENGTH = validator("maxTokenLength", Setting.integer(
      "max-token-length", "longest token accepted, in characters", 256, 1024 * 1024).withDefault(16 * 1024),
      AccessTokenValidator.Builder::maxTokenLength);
  /** Fetch the keys at start-up rather than for the first token, waiting at most this long. */
  public static final Setting<java.time.Duration> WARM_UP_SECONDS = validator("warmUp", Setting.seconds(
      "warm-up-seconds", "fetch the issuer's keys at start, waiting at most this long (a failure is a WARN)", 1, 300),
      AccessTokenValidator.Builder::warmUp);
  /** With a warm-up: keys that cannot be fetched in time stop the start instead of a WARN. */
  public static final Setting<Boolean> WARM_UP_FAIL_FAST = validator("warmUpFailFast", Setting.bool(
      "warm-up-fail-fast", "true: keys that cannot be fetched within warm-up-seconds fail the start"),
      AccessTokenValidator.Builder::warmUpFailFast);
  /** How long cached keys may stand in for an issuer whose JWKS cannot be fetched. */
  public static final Setting<java.time.Duration> JWKS_MAX_STALENESS_SECONDS = validator("jwksMaxStaleness",
      Setting.seconds("jwks-max-staleness-seconds", "how long cached keys may stand in for an unreachable JWKS, "
      + "counted from the last successful fetch; beyond it the issuer's tokens answer 503", 60, 30 * 24 * 3600),
      AccessTokenValidator.Builder::jwksMaxStaleness);
  /** How often the keys are refreshed in the background. */
  public static final Setting<java.time.Duration> JWKS_REFRESH_INTERVAL_SECONDS = validator("jwksRefreshInterval",
      Setting.seconds("jwks-refresh-interval-seconds", "background JWKS refresh once the keys are this old",
      10, 24 * 3600), AccessTokenValidator.Builder::jwksRefreshInterval);

  // ---- sender-constrained tokens: DPoP (RFC 9449) and certificate binding (RFC 8705)

  /** Whether tokens may or must come with a DPoP proof. */
  public static final Setting<DpopPolicy> DPOP = validator("dpop", Setting.oneOf("dpop",
      "DPoP (RFC 9449): off, allowed (bearer and DPoP-bound tokens) or required", DpopPolicy.class)
      .withDefault(DpopPolicy.ALLOWED), AccessTokenValidator.Builder::dpop);
  /** Every DPoP proof must carry a server nonce. */
  public static final Setting<Boolean> DPOP_NONCE = validator("dpopNonce", Setting.bool("dpop-nonce",
      "true: every DPoP proof must carry a nonce this service issued (RFC 9449 section 9)"),
      AccessTokenValidator.Builder::dpopNonce);
  /** JWS algorithms accepted for DPoP proofs. */
  public static final Setting<List<String>> DPOP_ALGORITHMS = validator("dpopAlgorithms", Setting.list("dpop-algorithms",
      "JWS algorithms accepted for DPoP proofs, comma-separated; asymmetric only, EdDSA also admits Ed25519")
      .withDefault(List.of("ES256", "EdDSA", "RS256", "PS256")), (b, v) -> b.dpopAlgorithms(v.toArray(String[]::new)));
  /** How old a DPoP proof may be, which is also the replay window. */
  public static final Setting<java.time.Duration> DPOP_MAX_AGE_SECONDS = validator("dpopMaxAge", Setting.seconds(
      "dpop-max-age-seconds", "how old a DPoP proof's iat may be, and the replay window, 1 to 3600", 1, 3600)
      .withDefault(java.time.Duration.ofSeconds(300)), AccessTokenValidator.Builder::dpopMaxAge);
  /** The secret DPoP server nonces are computed with, shared by every replica. */
  public static final Setting<String> DPOP_NONCE_SECRET = validator("dpopNonceSecret", Setting.secret("dpop-nonce-secret",
      "secret of at least 32 bytes for DPoP server nonces, the same on every replica (unset: random per validator)"),
      (b, v) -> b.dpopNonceSecret(v.getBytes(StandardCharsets.UTF_8)));
  /** The external base URL behind a proxy. */
  public static final Setting<String> BASE_URL = validator("externalBaseUrl", Setting.url("base-url",
      "external scheme://host[:port] used to rebuild the request URI for a DPoP proof's htu behind a proxy"),
      AccessTokenValidator.Builder::externalBaseUrl);
  /** The header a TLS-terminating proxy writes the client certificate in. */
  public static final Setting<String> CLIENT_CERTIFICATE_HEADER = validator("clientCertificateHeader", Setting.string(
      "client-certificate-header", "header a TLS-terminating proxy always writes the client certificate in "
      + "(RFC 9440 Client-Cert, or URL-encoded PEM), for certificate-bound tokens; read only when set"),
      AccessTokenValidator.Builder::clientCertificateHeader);

  // ---- state shared by the replicas of a service

  /**
   * The Redis the replicas share DPoP replay records and the issuer's userinfo/introspection answers
   * in, read by the {@code tokenward-redis} module (found on the class path; without it the validator
   * refuses to start). A secret: it may carry a password.
   */
  public static final Setting<String> REDIS_URI = validator("sharedState", Setting.secret("redis-uri",
      "redis://[:password@]host:port[/db] (rediss:// for TLS; redis-sentinel://...#master, redis-cluster://host:port,"
      + "host:port...) shared by every replica for DPoP replay records and "
      + "userinfo/introspection answers; needs dev.tokenward:tokenward-redis (unset: in-process only)"),
      AccessTokenValidator.Builder::sharedState);

  // ---- the filters (servlet filter and JAX-RS feature)

  /** The {@code realm} of the {@code WWW-Authenticate} challenge. */
  public static final Setting<String> REALM = declare(Setting.string("realm",
      "realm of the WWW-Authenticate challenge").withDefault(BearerErrorResponse.DEFAULT_REALM));
  /** Accept the token as an {@code access_token} query parameter (RFC 6750 section 2.3). */
  public static final Setting<Boolean> ALLOW_QUERY_TOKEN = declare(Setting.bool("allow-query-token",
      "true also accepts the token as an access_token query parameter (URLs end up in logs)"));
  /** Accept the token as an {@code access_token} form field (RFC 6750 section 2.2). */
  public static final Setting<Boolean> ALLOW_FORM_TOKEN = declare(Setting.bool("allow-form-token",
      "true also accepts the token as an access_token field of a form-encoded body"));

  /**
   * The servlet filter's path rules, {@code PATTERN=RULE} comma-separated (the rule text of its
   * {@code rule.PATTERN} init-parameters). The JAX-RS feature, which takes its rules from
   * annotations, refuses a configuration that sets it rather than ignore it.
   */
  public static final Setting<List<String>> RULES = declare(Setting.list("rules",
      "servlet filter: path rules, comma-separated PATTERN=RULE, e.g. /api/*=authenticated, /admin/*=online admin:all"));

  /**
   * Step-up (RFC 9470): the {@code acr} values that count as strong authentication in the filters'
   * step-up policy ({@link TokenwardConfig#stepUp()}), which the servlet filter's {@code step-up}
   * rule word and {@link RequiresStepUp @RequiresStepUp} without attributes stand for.
   */
  public static final Setting<List<String>> STEP_UP_ACR = declare(Setting.list("step-up-acr",
      "step-up (RFC 9470): acr values that count as strong authentication where a 'step-up' path rule or "
          + "@RequiresStepUp without attributes applies, comma-separated"));
  /** Step-up (RFC 9470): how many seconds ago {@code auth_time} may be, in the filters' step-up policy. */
  public static final Setting<java.time.Duration> STEP_UP_MAX_AGE_SECONDS = declare(Setting.seconds(
      "step-up-max-age-seconds", "step-up (RFC 9470): how old auth_time may be where a 'step-up' path rule or "
          + "@RequiresStepUp without attributes applies", 1, 31_536_000));

  // ---- RFC 9728 protected resource metadata (ProtectedResourceMetadata.builder(validator, config))

  /** The resource identifier (RFC 8707): RFC 9728 {@code resource}; unset, the filters take it from each request. */
  public static final Setting<String> RESOURCE = declare(Setting.url("resource",
      "the resource identifier (RFC 9728 resource, RFC 8707), an absolute https URL; unset: the URL the request arrived on, without path"));
  /** RFC 9728 {@code resource_name}. */
  public static final Setting<String> RESOURCE_NAME = declare(Setting.string("resource-name",
      "human-readable name of the resource, for its RFC 9728 metadata"));
  /** RFC 9728 {@code resource_documentation}. */
  public static final Setting<String> RESOURCE_DOCUMENTATION = declare(Setting.url("resource-documentation",
      "URL of the resource's documentation for developers, for its RFC 9728 metadata"));
  /** RFC 9728 {@code resource_policy_uri}. */
  public static final Setting<String> RESOURCE_POLICY_URI = declare(Setting.url("resource-policy-uri",
      "URL of the resource's policy on how clients may use data, for its RFC 9728 metadata"));

  /** Former names that now fail with a pointer to the current one. */
  static final Map<String, Setting<?>> FORMER_KEYS = Map.of("hmac-secret", HS256_SECRET, "opaque-tokens", OPAQUE);

  private StandardSettings() {}

  /** Every standard setting, in the order of the README's table. */
  public static List<Setting<?>> all() {
    return Collections.unmodifiableList(ALL);
  }

  /** A key read by a component other than the validator. */
  private static <T> Setting<T> declare(Setting<T> setting) {
    for (Setting<?> s : ALL) {
      if (s.key().equals(setting.key())) {
        throw new IllegalStateException("setting " + setting.key() + " is declared twice");
      }
    }
    ALL.add(setting);
    return setting;
  }

  /** A key of the validator: the builder method it is the text form of, and how to apply it (null: applied by TokenwardConfig). */
  private static <T> Setting<T> validator(String builderMethod, Setting<T> setting,
      BiConsumer<AccessTokenValidator.Builder, T> apply) {
    declare(setting);
    VALIDATOR_KEYS.put(setting, new ValidatorKey<>(setting, builderMethod, apply));
    return setting;
  }

  /** The validator's keys, in table order. */
  static Iterable<ValidatorKey<?>> validatorKeys() {
    return VALIDATOR_KEYS.values();
  }

  /** A validator key: its builder method's name (as the builder's messages start with it) and how to apply a value. */
  record ValidatorKey<T>(Setting<T> setting, String builderMethod, BiConsumer<AccessTokenValidator.Builder, T> apply) {
    void applyTo(AccessTokenValidator.Builder builder, T value) {
      apply.accept(builder, value);
    }
  }
}
