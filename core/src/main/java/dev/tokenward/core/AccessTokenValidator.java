package dev.tokenward.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/**
 * Decides whether an access token was issued for this API: the one object a resource server
 * needs. Build it once at start-up and share it; it is immutable and thread-safe.
 *
 * <pre>{@code
 * AccessTokenValidator validator = AccessTokenValidator.builder()
 *     .issuer("https://tenant.auth0.com/")   // exact iss, trailing slash included
 *     .audience("https://api.example.com")   // the API identifier
 *     .build();
 * VerifiedToken token = validator.validate(raw);
 * }</pre>
 *
 * <p>Once the issuer's keys are cached, validating a JWT does no I/O and takes no lock; a token
 * seen before is answered from a bounded cache keyed by its hash. An issuer that is down at
 * start-up is not an error: keys are fetched on first use and while unreachable validation fails
 * with {@link Reason#ISSUER_UNAVAILABLE} (503), never as an invalid token.
 */
public final class AccessTokenValidator implements AutoCloseable {
  private final List<IssuerState> issuers;
  private final OpaquePath opaquePath;
  private final Settings settings;
  private final Clock clock;
  private final JwtPath jwtPath;
  private volatile boolean closed;
  private final RefusalLog refusals;
  private final SenderConstraints senderConstraints;
  private final SharedState sharedState; // owned: closed by close(); null when none

  private AccessTokenValidator(Builder b, List<TrustedIssuer> trusted, SharedState sharedState) {
    this.sharedState = sharedState;
    this.settings = new Settings(b, sharedState != null ? sharedState.onlineCache() : b.sharedOnlineCache);
    this.clock = b.clock;
    OkHttpClient client = b.httpClient != null ? b.httpClient : IssuerHttp.defaultClient();
    IssuerHttp http = new IssuerHttp(client);
    Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    TokenCache tokenCache = settings.tokenCacheSize == 0 ? null
        : new TokenCache(settings.tokenCacheSize, settings.tokenCacheTtl, ticker);
    Lazy<Cache<TokenHash, VerifiedToken>> onlineCache = new Lazy<>(() -> OpaqueTokens.newCache(settings, clock, ticker));
    List<IssuerState> states = new ArrayList<>();
    for (TrustedIssuer t : trusted) {
      states.add(new IssuerState(t, http, clock, settings, onlineCache)); // each with its own fetch thread
    }
    this.issuers = List.copyOf(states);
    this.jwtPath = new JwtPath(issuers, settings, clock, tokenCache, http.callTimeout().multipliedBy(2));
    this.opaquePath = new OpaquePath(issuers, b.opaqueTokenResolver, settings.claimChecks);
    this.senderConstraints = new SenderConstraints(this, b.dpop, sharedState != null ? sharedState.dpopReplayStore() : null,
        trusted, settings.clockSkewSeconds, clock);
    this.refusals = new RefusalLog(clock);
    ValidatorStartup.started(issuers);
    if (sharedState != null) {
      org.slf4j.LoggerFactory.getLogger(AccessTokenValidator.class).info("tokenward validator shares DPoP replay records "
          + "and userinfo/introspection answers in {}", sharedState); // RedisSharedState shows host:port/db, no password
    }
  }

  /** Starts a configuration. */
  public static Builder builder() {
    return new Builder();
  }

  /** The trusted issuers, in the order configured. */
  public List<TrustedIssuer> issuers() {
    List<TrustedIssuer> out = new ArrayList<>();
    issuers.forEach(s -> out.add(s.config));
    return List.copyOf(out);
  }

  /**
   * Each trusted issuer's key source, in the order configured: for a health endpoint or a readiness
   * probe (ready once no issuer is {@link IssuerHealth.Status#DOWN}). It does no I/O in the caller;
   * an issuer with no keys yet starts a background fetch, so a probe loads the keys by itself.
   */
  public List<IssuerHealth> health() {
    List<IssuerHealth> out = new ArrayList<>(issuers.size());
    issuers.forEach(s -> out.add(s.health()));
    return List.copyOf(out);
  }

  /**
   * Validates an access token: a JWT locally against every rule, an opaque token by the issuer's
   * opaque-token policy.
   *
   * @param token the raw token, without the {@code Bearer } prefix
   * @throws TokenValidationException with the reason it was refused
   */
  public VerifiedToken validate(String token) throws TokenValidationException {
    return validate(token, null);
  }

  /**
   * Validates like {@link #validate(String)}, for a token that arrived with this request: an opaque
   * token's issuer is then chosen by the configured {@link OpaqueTokenResolver} from the request URL.
   *
   * @param token the raw token, without the {@code Bearer } prefix
   * @param requestUri the full URL of the request, or null if unknown
   * @throws TokenValidationException with the reason it was refused
   */
  public VerifiedToken validate(String token, URI requestUri) throws TokenValidationException {
    return checked(token, requestUri, false);
  }

  /**
   * The token path of {@link #validate(String, URI)} and {@link #validateOnline(String, URI)}, timed and
   * reported once to the listener, whichever check refused the token (the online answer included).
   */
  private VerifiedToken checked(String token, URI requestUri, boolean online) throws TokenValidationException {
    ValidationListener listener = settings.listener; // null unless set: then no clock read, no call
    long start = listener == null ? 0 : System.nanoTime();
    try {
      VerifiedToken verified = verify(token, null, requestUri == null ? null : () -> requestUri);
      TokenBinding.refuseUnproven(verified); // a sender-constrained token needs a proof this path does not have
      if (online) {
        verified = checkedOnline(verified, token);
      }
      if (listener != null) {
        listener.tokenAccepted(issuerOf(verified).config.issuer, System.nanoTime() - start);
      }
      return verified;
    } catch (TokenValidationException e) {
      refusals.refused(e); // a repeated wrong audience/issuer/opaque token is logged, rate-limited
      if (listener != null) {
        listener.tokenRefused(e.reason(), e.attributedIssuer(), System.nanoTime() - start);
      }
      throw e;
    }
  }

  /**
   * Every check but the sender constraint, which the caller decides: refused here, proven on the
   * request-level path. {@code key}: the token's cache key if the caller made it, else null;
   * {@code requestUri}: read only for an opaque token's issuer resolver (null: unknown).
   */
  private VerifiedToken verify(String token, JwtPath.Key key, Supplier<URI> requestUri) throws TokenValidationException {
    if (closed) {
      throw new IllegalStateException("validate: this AccessTokenValidator is closed; its keys are no longer "
          + "refreshed, so it decides nothing");
    }
    if (token == null || token.isEmpty()) {
      throw new TokenValidationException(Reason.MALFORMED, "the token is empty");
    }
    if (token.length() > settings.maxTokenLength) {
      throw new TokenValidationException(Reason.MALFORMED, "the token is " + token.length()
          + " characters long, more than the limit of " + settings.maxTokenLength);
    }
    int segments = ParsedJws.segments(token);
    if (segments != 3) {
      return opaquePath.validate(token, segments, requestUri);
    }
    return jwtPath.validate(token, key);
  }

  /**
   * The token cache's key of a token, for a caller that needs it before {@link #verify} does (the
   * request-level path), with what the cache holds under it now; null without a token cache or for
   * a token longer than any accepted.
   */
  JwtPath.Key tokenCacheKey(String token) {
    return jwtPath.cacheKey(token);
  }

  /**
   * Validates like {@link #validate} and then, for a JWT, also asks the issuer whether the token is
   * still active (introspection if client credentials are configured, else userinfo), for
   * endpoints that must honour revocation. The issuer's answer is cached briefly by token hash.
   */
  public VerifiedToken validateOnline(String token) throws TokenValidationException {
    return validateOnline(token, null);
  }

  /** {@link #validateOnline(String)} for a token that arrived with this request (see {@link #validate(String, URI)}). */
  public VerifiedToken validateOnline(String token, URI requestUri) throws TokenValidationException {
    return checked(token, requestUri, true);
  }

  private VerifiedToken checkedOnline(VerifiedToken verified, String token) throws TokenValidationException {
    if (verified.kind() == TokenKind.JWT) {
      IssuerState issuer = issuerOf(verified);
      try {
        issuer.online.check(token, issuer.config.clientId != null ? OpaqueTokenPolicy.INTROSPECT : OpaqueTokenPolicy.USERINFO);
      } catch (TokenValidationException e) {
        throw e.attributeTo(issuer.config.issuer);
      }
    }
    return verified;
  }

  /**
   * Validates the access token of a whole request: the {@code Authorization} scheme ({@code Bearer}
   * or {@code DPoP}), the DPoP proof of RFC 9449 section 4.3 with its server nonce and replay record,
   * the token's key binding ({@code cnf.jkt}) and its certificate binding ({@code cnf x5t#S256},
   * RFC 8705), under the DPoP policy of the endpoint or the token's issuer. A request without
   * credentials is refused too ({@link Reason#MISSING_TOKEN}), with the challenges the policy offers.
   *
   * <p>Every refusal is ready for {@link BearerErrorResponse#of}: it knows whether to answer with a
   * {@code Bearer} challenge, a {@code DPoP} one, or both, and which {@code DPoP-Nonce} to send.
   *
   * @throws TokenValidationException with the reason the request was refused
   */
  public VerifiedToken validate(TokenRequest request) throws TokenValidationException {
    return validateRequest(request, false);
  }

  /**
   * Validates a request to an endpoint with optional authentication (the servlet filter's
   * {@code optional} rule, JAX-RS {@code @OptionalAuthentication}): a request without credentials
   * (none, or another scheme such as {@code Basic}) is served anonymously, so it is answered empty
   * and is not reported to the listener as a refusal; a request that carries a token is validated
   * exactly as by {@link #validate(TokenRequest)}, so a bad token is still refused, and reported.
   *
   * @return the verified token, or empty for a request without credentials
   * @throws TokenValidationException with the reason a request carrying credentials was refused
   */
  public Optional<VerifiedToken> validateIfPresent(TokenRequest request) throws TokenValidationException {
    return Optional.ofNullable(validateRequest(request, true));
  }

  /** {@link #validate(TokenRequest)}; with {@code optional}, null instead of a {@link Reason#MISSING_TOKEN} refusal. */
  private VerifiedToken validateRequest(TokenRequest request, boolean optional) throws TokenValidationException {
    Objects.requireNonNull(request, "request");
    ValidationListener listener = settings.listener; // null unless set: then no clock read, no call
    long start = listener == null ? 0 : System.nanoTime();
    try {
      VerifiedToken verified = senderConstraints.validate(request);
      if (listener != null) {
        listener.tokenAccepted(issuerOf(verified).config.issuer, System.nanoTime() - start);
      }
      return verified;
    } catch (TokenValidationException e) {
      if (optional && e.reason() == Reason.MISSING_TOKEN) {
        return null; // anonymous on an optional endpoint: served, so no refusal to count
      }
      refusals.refused(e); // a repeated wrong audience/issuer/opaque token is logged, rate-limited
      if (listener != null) { // every refusal of the request, before, at and after its token: reported once
        listener.tokenRefused(e.reason(), e.attributedIssuer(), System.nanoTime() - start);
      }
      throw e;
    }
  }

  /**
   * Reports a refusal the caller made before it could hand the request to
   * {@link #validate(TokenRequest)}: a token both in the {@code Authorization} header and in a
   * query or form parameter, a request URL that cannot be read, an oversized form body. The filters
   * call it so that the listener (and the metrics built on it) counts every refusal they answer
   * once, under the reason it is answered with; the issuer is unknown (null).
   *
   * @param failure the refusal the request is answered with
   * @return {@code failure}, for throwing or answering
   */
  public TokenValidationException refusedBeforeValidation(TokenValidationException failure) {
    Objects.requireNonNull(failure, "failure");
    ValidationListener listener = settings.listener;
    if (listener != null) {
      listener.tokenRefused(failure.reason(), null, 0);
    }
    return failure;
  }

  /**
   * The failure, with the challenges fitting this request: for a check the caller made after
   * {@link #validate(TokenRequest)} passed (a missing scope), a request under the {@code DPoP} scheme
   * is answered with a {@code DPoP} challenge (RFC 9449 section 7.1). Returns {@code failure}.
   */
  public TokenValidationException withChallenge(TokenRequest request, TokenValidationException failure) {
    boolean dpop = request.authorization().size() == 1
        && request.authorization().get(0).strip().regionMatches(true, 0, "DPoP ", 0, 5);
    if (dpop && failure.challenge() == Challenge.BEARER) {
      failure.challenge(new Challenge(false, true, senderConstraints.algs(),
          senderConstraints.freshNonce(request.dpopNonceRequired().orElse(false))));
    }
    return failure;
  }

  /**
   * A fresh DPoP server nonce to send as {@code DPoP-Nonce} on a successful answer (RFC 9449 section
   * 8.2), when nonces are required by any issuer or by this request's endpoint; empty otherwise.
   */
  public Optional<String> dpopNonce(TokenRequest request) {
    return Optional.ofNullable(senderConstraints.freshNonce(request.dpopNonceRequired().orElse(false)));
  }

  /** The JWS algorithms accepted for DPoP proofs, as in the {@code algs} challenge parameter and RFC 9728 metadata. */
  public List<String> dpopAlgorithms() {
    return List.of(senderConstraints.algs().split(" "));
  }

  /** The request header a TLS-terminating proxy carries the client certificate in, if one is configured. */
  public Optional<String> clientCertificateHeader() {
    return Optional.ofNullable(senderConstraints.certificateHeader());
  }

  /** A token check for the request-level path: a bound token is accepted here, its binding is checked by the caller. */
  VerifiedToken verifyBoundOrNot(String token, JwtPath.Key key, Supplier<URI> requestUri, boolean online)
      throws TokenValidationException {
    VerifiedToken verified = verify(token, key, requestUri); // the listener hears of it from validate(TokenRequest)
    try {
      TokenBinding.refuseUnprovable(verified); // a cnf method no path can prove (neither jkt nor x5t#S256)
    } catch (TokenValidationException e) {
      throw e.attributeTo(issuerOf(verified).config.issuer);
    }
    return online ? checkedOnline(verified, token) : verified;
  }

  /** The listener, or null when none is set; for the request-level path's own events. */
  ValidationListener listener() {
    return settings.listener;
  }

  /** The configuration of the issuer that vouched for a verified token. */
  TrustedIssuer trustedIssuerOf(VerifiedToken token) {
    return issuerOf(token).config;
  }

  private IssuerState issuerOf(VerifiedToken token) {
    return jwtPath.issuerOf(token);
  }

  /**
   * Fetches every issuer's keys now rather than for the first token, waiting at most
   * {@code timeout} in all: start-up pays the latency instead of the first request. An issuer that
   * cannot be reached is logged at WARN and the validator still works (it answers 503 until the
   * keys arrive); see {@link Builder#warmUpFailFast} to refuse to start instead.
   *
   * @return true if every issuer's keys are loaded (or need no fetch)
   */
  public boolean warmUp(Duration timeout) {
    return ValidatorStartup.warmUp(issuers, Builder.positive("warmUp", timeout)).isEmpty();
  }

  /** One line on what this validator accepts: per issuer its audiences, algorithms, opaque policy and key source. */
  public String describe() {
    return ValidatorStartup.describe(issuers);
  }

  RefusalLog refusals() {
    return refusals;
  }

  /**
   * Stops the key fetches of every issuer. Only for validators that do not live as long as the
   * application (tests, a reconfiguration): nothing refreshes the keys afterwards, so every
   * {@code validate} after {@code close()} throws {@link IllegalStateException}. Idempotent. The
   * HTTP client is left alone: an application's own is the application's, and the default one is
   * shared by every validator in the JVM.
   */
  @Override
  public void close() {
    closed = true;
    issuers.forEach(IssuerState::close);
    closeSharedState();
  }

  /** Closes the shared state this validator owns (its connections and threads), if any. */
  private void closeSharedState() {
    if (sharedState != null) {
      try {
        sharedState.close();
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(AccessTokenValidator.class).warn("closing the shared state failed: {}",
            e.toString());
      }
    }
  }

  /** Validator-wide settings, read on the hot path; package-private for the engine. */
  static final class Settings {
    final long clockSkewSeconds;
    final long maxTokenAgeSeconds; // 0 = no maximum
    final boolean requireAccessTokenType;
    final int maxTokenLength;
    final Duration jwksRefreshInterval;
    final Duration jwksMaxStaleness;
    final Duration jwksRefetchCooldown;
    final Duration issuerRetryBackoff;
    final long tokenCacheSize;
    final Duration tokenCacheTtl;
    final long onlineCacheSize;
    final Duration onlineCacheTtl;
    final List<ClaimCheck> claimChecks;
    final ValidationListener listener; // null when none is set
    final SharedOnlineCache sharedOnlineCache; // null when answers are not shared

    Settings(Builder b, SharedOnlineCache sharedOnlineCache) {
      this.sharedOnlineCache = sharedOnlineCache;
      this.clockSkewSeconds = b.clockSkew.toSeconds();
      this.maxTokenAgeSeconds = b.maxTokenAge == null ? 0 : b.maxTokenAge.toSeconds();
      this.requireAccessTokenType = b.requireAccessTokenType;
      this.maxTokenLength = b.maxTokenLength;
      this.jwksRefreshInterval = b.jwksRefreshInterval;
      this.jwksMaxStaleness = b.jwksMaxStaleness;
      this.jwksRefetchCooldown = b.jwksRefetchCooldown;
      this.issuerRetryBackoff = b.issuerRetryBackoff;
      this.tokenCacheSize = b.tokenCacheSize;
      this.tokenCacheTtl = b.tokenCacheTtl;
      this.onlineCacheSize = b.onlineCacheSize;
      this.onlineCacheTtl = b.onlineCacheTtl;
      this.claimChecks = List.copyOf(b.claimChecks);
      this.listener = b.listener;
    }
  }

  /**
   * Fail-fast builder. The single-issuer setters ({@link #audience}, {@link #algorithms}, ...)
   * configure the issuer named by {@link #issuer(String)}; for several issuers, pass each as a
   * {@link TrustedIssuer}. Every default is listed on its setter.
   */
  public static final class Builder {
    /** The default of {@link #jwksMaxStaleness(Duration)}: 24 hours. */
    public static final Duration DEFAULT_JWKS_MAX_STALENESS = Duration.ofHours(24);

    private TrustedIssuer.Builder primary;
    private final List<TrustedIssuer> others = new ArrayList<>();
    private Duration clockSkew = Duration.ofSeconds(60);
    private Duration maxTokenAge;
    private boolean requireAccessTokenType;
    private int maxTokenLength = 16 * 1024;
    private Duration jwksRefreshInterval = Duration.ofMinutes(5);
    private Duration jwksMaxStaleness = DEFAULT_JWKS_MAX_STALENESS;
    private Duration jwksRefetchCooldown = Duration.ofSeconds(30);
    private Duration issuerRetryBackoff = Duration.ofSeconds(5);
    private long tokenCacheSize = 10_000;
    private Duration tokenCacheTtl = Duration.ofMinutes(5);
    private long onlineCacheSize = 10_000;
    private Duration onlineCacheTtl = Duration.ofSeconds(60);
    private final List<ClaimCheck> claimChecks = new ArrayList<>();
    private OkHttpClient httpClient;
    private OpaqueTokenResolver opaqueTokenResolver;
    private Clock clock = Clock.systemUTC();
    private ValidationListener listener;
    private Duration warmUp; // null: keys are fetched for the first token
    private boolean warmUpFailFast;
    private final SenderConstraints.Options dpop = new SenderConstraints.Options();
    private SharedState sharedState; // owned by the validator built
    private SharedStateProvider sharedStateProvider; // with sharedStateUri: opened by build()
    private String sharedStateUri;
    private SharedOnlineCache sharedOnlineCache;

    private Builder() {}

    /**
     * The issuer whose tokens are accepted: exactly the {@code iss} it writes (Auth0:
     * {@code https://TENANT.auth0.com/}). The single-issuer setters configure this issuer, whether
     * they are called before or after it.
     */
    public Builder issuer(String issuer) {
      if (primary != null && primary.named()) {
        throw new IllegalStateException("issuer: already set; for several issuers pass each as issuer(TrustedIssuer)");
      }
      primary("issuer").named(issuer);
      return this;
    }

    /** Adds a fully configured issuer; several may be added, each with its own audiences and keys. */
    public Builder issuer(TrustedIssuer issuer) {
      others.add(Objects.requireNonNull(issuer, "issuer"));
      return this;
    }

    /** Accepted API identifiers; at least one is required. See {@link TrustedIssuer.Builder#audience}. */
    public Builder audience(String... audiences) {
      primary("audience").audience(audiences);
      return this;
    }

    /** Accepted algorithms, default {@code RS256}. See {@link TrustedIssuer.Builder#algorithms}. */
    public Builder algorithms(String... algorithms) {
      primary("algorithms").algorithms(algorithms);
      return this;
    }

    /** JWKS location, skipping discovery. */
    public Builder jwksUri(String jwksUri) {
      primary("jwksUri").jwksUri(jwksUri);
      return this;
    }

    /** Static keys; nothing is fetched. See {@link StaticKeys}. */
    public Builder keys(JWKSet keys) {
      primary("keys").keys(keys);
      return this;
    }

    /** Shared secret for HS256/384/512, which must also be listed in {@link #algorithms}. */
    public Builder hmacSecret(byte[] secret) {
      primary("hmacSecret").hmacSecret(secret);
      return this;
    }

    /** Opaque-token policy, default {@link OpaqueTokenPolicy#REJECT}. */
    public Builder opaqueTokens(OpaqueTokenPolicy policy) {
      primary("opaqueTokens").opaqueTokens(policy);
      return this;
    }

    /** Userinfo endpoint, instead of discovery's. */
    public Builder userinfoUri(String uri) {
      primary("userinfoUri").userinfoUri(uri);
      return this;
    }

    /** RFC 7662 endpoint (null: discovery's) and the API's client credentials. */
    public Builder introspection(String uri, String clientId, String clientSecret) {
      primary("introspection").introspection(uri, clientId, clientSecret);
      return this;
    }

    /** Allow {@code http://} for a non-loopback issuer (default false; loopback is always allowed). */
    public Builder allowHttp(boolean allow) {
      primary("allowHttp").allowHttp(allow);
      return this;
    }

    /** Leeway for {@code exp}, {@code nbf} and {@code iat}; default 60 s, at most 10 minutes. */
    public Builder clockSkew(Duration skew) {
      Objects.requireNonNull(skew, "clockSkew");
      if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("clockSkew: must be between 0 and 10 minutes, got " + skew);
      }
      this.clockSkew = skew;
      return this;
    }

    /** Refuse tokens whose {@code iat} is older than this; default: no maximum. */
    public Builder maxTokenAge(Duration age) {
      Objects.requireNonNull(age, "maxTokenAge");
      if (age.isNegative() || age.isZero()) {
        throw new IllegalArgumentException("maxTokenAge: must be positive, got " + age);
      }
      this.maxTokenAge = age;
      return this;
    }

    /** Strict RFC 9068: the header {@code typ} must be {@code at+jwt}; default false (Auth0 writes {@code JWT} on older tenants). */
    public Builder requireAccessTokenType(boolean require) {
      this.requireAccessTokenType = require;
      return this;
    }

    /** Longest token accepted, checked before any decoding; default 16384 characters. */
    public Builder maxTokenLength(int chars) {
      if (chars < 256 || chars > 1024 * 1024) {
        throw new IllegalArgumentException("maxTokenLength: must be between 256 and 1048576, got " + chars);
      }
      this.maxTokenLength = chars;
      return this;
    }

    /** Adds a custom claim check; all checks must pass. */
    public Builder claimCheck(ClaimCheck check) {
      claimChecks.add(Objects.requireNonNull(check, "claimCheck"));
      return this;
    }

    /**
     * How long cached keys may stand in for an issuer whose JWKS cannot be fetched, counted from the
     * last successful fetch; default 24 hours ({@link #DEFAULT_JWKS_MAX_STALENESS}). Beyond it every
     * token of that issuer is {@link Reason#ISSUER_UNAVAILABLE} (503) until a fetch succeeds, so a key
     * the issuer removed is not trusted for as long as its JWKS is kept unreachable. Must be longer
     * than {@link #jwksRefreshInterval}.
     */
    public Builder jwksMaxStaleness(Duration staleness) {
      this.jwksMaxStaleness = positive("jwksMaxStaleness", staleness);
      return this;
    }

    /** Background JWKS refresh once the keys are this old; default 5 minutes. */
    public Builder jwksRefreshInterval(Duration interval) {
      this.jwksRefreshInterval = positive("jwksRefreshInterval", interval);
      return this;
    }

    /** At most one JWKS refetch per this period for unknown {@code kid}s; default 30 s. */
    public Builder jwksRefetchCooldown(Duration cooldown) {
      this.jwksRefetchCooldown = positive("jwksRefetchCooldown", cooldown);
      return this;
    }

    /** After a failed fetch from the issuer, wait this long before the next; default 5 s. */
    public Builder issuerRetryBackoff(Duration backoff) {
      this.issuerRetryBackoff = positive("issuerRetryBackoff", backoff);
      return this;
    }

    /** Verified-token cache: entries and lifetime (never past a token's {@code exp}); default 10000 and 5 minutes. */
    public Builder tokenCache(long maxEntries, Duration ttl) {
      if (maxEntries < 1) {
        throw new IllegalArgumentException("tokenCache: maxEntries must be at least 1 (or call disableTokenCache())");
      }
      this.tokenCacheSize = maxEntries;
      this.tokenCacheTtl = positive("tokenCache ttl", ttl);
      return this;
    }

    /** Verify every token in full, even one seen a moment ago. */
    public Builder disableTokenCache() {
      this.tokenCacheSize = 0;
      return this;
    }

    /** Cache of the issuer's userinfo/introspection answers; default 10000 entries, 60 s (never past {@code exp}). */
    public Builder onlineCache(long maxEntries, Duration ttl) {
      if (maxEntries < 1) {
        throw new IllegalArgumentException("onlineCache: maxEntries must be at least 1");
      }
      this.onlineCacheSize = maxEntries;
      this.onlineCacheTtl = positive("onlineCache ttl", ttl);
      return this;
    }

    /**
     * Chooses per request which issuer may be asked about an opaque token; required when more than
     * one issuer accepts opaque tokens (default: none, and then at most one may). See {@link OpaqueTokenResolver}.
     */
    public Builder opaqueTokenResolver(OpaqueTokenResolver resolver) {
      this.opaqueTokenResolver = Objects.requireNonNull(resolver, "opaqueTokenResolver");
      return this;
    }

    /** The HTTP client for every call to the issuer (proxies, TLS, timeouts); default: 2 s connect, 5 s per call (every read and write within it). */
    public Builder httpClient(OkHttpClient client) {
      this.httpClient = Objects.requireNonNull(client, "httpClient");
      return this;
    }

    /**
     * Receives the validator's events (accepted and refused tokens, key fetches, cache hits) for metrics;
     * default none, which costs nothing. See the {@code tokenward-micrometer} module for Micrometer meters.
     */
    public Builder listener(ValidationListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The clock for every time check and cache expiry; default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Fetch every issuer's keys in {@link #build()}, waiting at most {@code timeout}; default: on
     * the first token. A failure is logged at WARN, unless {@link #warmUpFailFast} makes it an error.
     */
    public Builder warmUp(Duration timeout) {
      this.warmUp = positive("warmUp", timeout);
      return this;
    }

    /** With {@link #warmUp}: keys that cannot be fetched in time fail {@link #build()}; default false (a WARN). */
    public Builder warmUpFailFast(boolean failFast) {
      this.warmUpFailFast = failFast;
      return this;
    }

    /** DPoP policy of the issuer: off, allowed (default) or required. See {@link TrustedIssuer.Builder#dpop}. */
    public Builder dpop(DpopPolicy policy) {
      primary("dpop").dpop(policy);
      return this;
    }

    /** Require DPoP server nonces for the issuer's tokens; default false. See {@link TrustedIssuer.Builder#dpopNonce}. */
    public Builder dpopNonce(boolean required) {
      primary("dpopNonce").dpopNonce(required);
      return this;
    }

    /**
     * JWS algorithms accepted for DPoP proofs; default {@code ES256 EdDSA RS256 PS256}. Asymmetric
     * only: {@code none} and HS* fail here. {@code EdDSA} also admits its fully-specified name
     * {@code Ed25519} (RFC 9864), which current clients write.
     */
    public Builder dpopAlgorithms(String... algorithms) {
      dpop.algorithms = DpopProofVerifier.checkedAlgorithms(List.of(algorithms));
      return this;
    }

    /**
     * How old a DPoP proof's {@code iat} may be, which is also how long its {@code jti} is remembered;
     * default 300 s, between 1 s and 1 hour. An {@code iat} further in the future than the clock skew is refused.
     */
    public Builder dpopMaxAge(Duration age) {
      Objects.requireNonNull(age, "dpopMaxAge");
      if (age.toSeconds() < 1 || age.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("dpopMaxAge: must be between 1 second and 1 hour, got " + age);
      }
      dpop.maxAge = age;
      return this;
    }

    /**
     * The secret DPoP server nonces are computed with, at least 32 bytes; give every replica of a
     * service the same one so each accepts the others' nonces. Default: random per validator.
     */
    public Builder dpopNonceSecret(byte[] secret) {
      Objects.requireNonNull(secret, "dpopNonceSecret");
      if (secret.length < 32) {
        throw new IllegalArgumentException("dpopNonceSecret: must be at least 32 bytes, got " + secret.length);
      }
      dpop.nonceSecret = secret.clone();
      return this;
    }

    /** How often the DPoP server nonce changes; a nonce is accepted for one to two periods. Default 60 s, 10 s to 1 hour. */
    public Builder dpopNonceRotation(Duration rotation) {
      Objects.requireNonNull(rotation, "dpopNonceRotation");
      if (rotation.compareTo(Duration.ofSeconds(10)) < 0 || rotation.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("dpopNonceRotation: must be between 10 seconds and 1 hour, got " + rotation);
      }
      dpop.nonceRotation = rotation;
      return this;
    }

    /** Where used DPoP proofs are remembered; default {@link DpopReplayStore#inMemory} with 100000 entries. */
    public Builder dpopReplayStore(DpopReplayStore store) {
      dpop.replayStore = Objects.requireNonNull(store, "dpopReplayStore");
      return this;
    }

    /**
     * State the replicas of this service share (DPoP replay records, the issuer's answers about opaque
     * tokens), such as {@code tokenward-redis}'s {@code RedisSharedState}. The validator owns it: its
     * {@link AccessTokenValidator#close()} closes it. Replaces {@link #dpopReplayStore} and
     * {@link #sharedOnlineCache}, which must then be left unset. Default: none, all state is in-process.
     */
    public Builder sharedState(SharedState state) {
      this.sharedState = Objects.requireNonNull(state, "sharedState");
      this.sharedStateProvider = null;
      return this;
    }

    /**
     * As {@link #sharedState(SharedState)}, by URI ({@code redis://host:port[/db]}, the text form
     * {@code TOKENWARD_REDIS_URI}): the module serving its scheme is found on the class path now
     * (none fails here, naming the module to add), and the store is opened by {@link #build()}.
     */
    public Builder sharedState(String uri) {
      Objects.requireNonNull(uri, "sharedState");
      this.sharedStateProvider = SharedStates.providerFor(uri);
      this.sharedStateUri = uri;
      this.sharedState = null;
      return this;
    }

    /**
     * Shares the issuer's userinfo and introspection answers with other replicas, behind the local
     * online cache; not closed by the validator. Default: none (set by {@link #sharedState}).
     */
    public Builder sharedOnlineCache(SharedOnlineCache cache) {
      this.sharedOnlineCache = Objects.requireNonNull(cache, "sharedOnlineCache");
      return this;
    }

    /**
     * The external {@code scheme://host[:port]} clients address this service by, when a proxy sits in
     * front: a DPoP proof's {@code htu} is compared with the request path on this base instead of the
     * URL the request arrived on. Default: none.
     */
    public Builder externalBaseUrl(String baseUrl) {
      Objects.requireNonNull(baseUrl, "externalBaseUrl");
      String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
      java.net.URI u;
      try {
        u = new java.net.URI(base);
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("externalBaseUrl: not a valid URL: " + baseUrl);
      }
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || u.getRawAuthority() == null
          || !(u.getRawPath() == null || u.getRawPath().isEmpty()) || u.getRawQuery() != null || u.getRawFragment() != null
          || u.getRawAuthority().contains("@")) {
        throw new IllegalArgumentException("externalBaseUrl: must be scheme://host[:port] with no path, got " + baseUrl);
      }
      dpop.externalBaseUrl = base;
      return this;
    }

    /**
     * Trusts the client certificate a TLS-terminating proxy puts in this header, for certificate-bound
     * tokens (RFC 8705): RFC 9440 {@code Client-Cert}, or URL-encoded PEM as nginx and AWS ALB send it.
     * Only set this if the proxy always overwrites the header: otherwise any client can claim any
     * certificate. Default: none, only the TLS connection's certificate counts.
     */
    public Builder clientCertificateHeader(String headerName) {
      if (headerName == null || headerName.isEmpty()
          || !headerName.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
        throw new IllegalArgumentException("clientCertificateHeader: must be an HTTP header name, got " + Json.shown(headerName));
      }
      dpop.certificateHeader = headerName;
      return this;
    }

    /** Checks the configuration; an unreachable issuer is not an error here unless a fail-fast warm-up was asked for. */
    public AccessTokenValidator build() {
      List<TrustedIssuer> trusted = trustedIssuers();
      SharedState shared = sharedState != null ? sharedState
          : sharedStateProvider != null ? sharedStateProvider.open(sharedStateUri) : null;
      AccessTokenValidator validator;
      try {
        validator = new AccessTokenValidator(this, trusted, shared);
      } catch (RuntimeException | Error e) {
        if (shared != null) {
          shared.close();
        }
        throw e;
      }
      if (warmUp != null) {
        List<String> missing = ValidatorStartup.warmUp(validator.issuers, warmUp);
        if (!missing.isEmpty() && warmUpFailFast) {
          validator.close();
          throw new IllegalStateException("warmUpFailFast: the keys of " + String.join(", ", missing)
              + " could not be fetched within " + warmUp.toMillis() + " ms");
        }
      }
      if (listener != null) {
        listener.validatorBuilt(validator);
      }
      return validator;
    }

    private List<TrustedIssuer> trustedIssuers() {
      List<TrustedIssuer> all = new ArrayList<>();
      if (primary != null) {
        all.add(primary.build());
      }
      all.addAll(others);
      if (all.isEmpty()) {
        throw new IllegalStateException("issuer: at least one trusted issuer is required");
      }
      Set<String> names = new HashSet<>();
      for (TrustedIssuer t : all) {
        if (!names.add(Discovery.stripSlash(t.issuer))) {
          throw new IllegalStateException("issuer: " + t.issuer + " is configured twice");
        }
      }
      OpaquePath.checkConfiguration(all, opaqueTokenResolver);
      if (jwksMaxStaleness.compareTo(jwksRefreshInterval) <= 0) {
        throw new IllegalStateException("jwksMaxStaleness: " + jwksMaxStaleness + " must be longer than "
            + "jwksRefreshInterval (" + jwksRefreshInterval + "), or keys would count as stale before their first refresh");
      }
      if ((sharedState != null || sharedStateProvider != null) && (dpop.replayStore != null || sharedOnlineCache != null)) {
        throw new IllegalStateException("sharedState: set together with " + (dpop.replayStore != null ? "dpopReplayStore"
            : "sharedOnlineCache") + ", which the shared state replaces; set one or the other");
      }
      return all;
    }

    private TrustedIssuer.Builder primary(String setting) {
      if (primary == null) {
        primary = new TrustedIssuer.Builder();
      }
      return primary;
    }

    static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": must be positive, got " + d);
      }
      return d;
    }
  }
}
