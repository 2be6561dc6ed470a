package dev.tokenward.micrometer;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.IssuerHealth;
import dev.tokenward.core.OpaqueTokenPolicy;
import dev.tokenward.core.Reason;
import dev.tokenward.core.TrustedIssuer;
import dev.tokenward.core.ValidationListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters for a tokenward validator: pass {@code TokenwardMetrics.of(registry)} to
 * {@code AccessTokenValidator.Builder.listener}. Every tag value comes from a bounded set (a
 * {@link Reason}, a configured issuer, a fixed word), never from a token, a subject or a claim.
 *
 * <ul>
 *   <li>{@value #VALIDATIONS} (counter): tokens and requests validated, tagged {@code outcome} ({@code accepted}
 *       or {@code refused}), {@code reason} (the {@link Reason} constant, {@code none} when accepted) and
 *       {@code issuer} (the configured issuer whose rules decided; {@value #UNKNOWN_ISSUER} for a refusal of a
 *       token naming no configured issuer, or of a request refused before its token was read, such as
 *       {@code MISSING_TOKEN}).
 *   <li>{@value #VALIDATION} (timer): time spent validating, tagged {@code outcome}.
 *   <li>{@value #JWKS_FETCHES} (counter): JWKS fetches, tagged {@code outcome} ({@code success}, {@code failure},
 *       or {@code rate_limited}: a refetch for an unknown {@code kid} skipped within the refetch cooldown) and
 *       {@code issuer}.
 *   <li>{@value #UNKNOWN_KID} (counter): tokens naming a key the loaded JWKS does not hold, tagged {@code issuer}.
 *   <li>{@value #TOKEN_CACHE} (counter): token-cache lookups of JWTs, tagged {@code result} ({@code hit} or
 *       {@code miss}).
 *   <li>{@value #ONLINE_CACHE} (counter): online-cache lookups (opaque tokens, {@code validateOnline}), tagged
 *       {@code result} ({@code hit} or {@code miss}).
 *   <li>{@value #SHARED_ONLINE_CACHE} (counter): lookups in the answers shared by replicas (a
 *       {@code SharedOnlineCache}, such as Redis) after a local online-cache miss, tagged {@code result}:
 *       {@code hit} (another replica's answer, at once or after waiting for the replica asking the issuer),
 *       {@code miss} (this replica asks the issuer and shares the answer) or {@code error} (the shared cache
 *       failed a read, a lock or a write; the issuer is asked without it).
 *   <li>{@value #ONLINE_CALLS} (counter): calls to the issuer about a token, tagged {@code endpoint}
 *       ({@code userinfo} or {@code introspection}) and {@code issuer}; answers from the online cache are not calls.
 *   <li>{@value #DPOP_REPLAYS} (counter): DPoP proofs used twice (refused as {@code DPOP_PROOF_REPLAY}), tagged
 *       {@code issuer}.
 *   <li>{@value #DPOP_REPLAY_STORE_ERRORS} (counter): DPoP proofs the replay store could not record (a shared
 *       store down or timed out, a local one full), each refused 503 {@code REPLAY_STORE_UNAVAILABLE}, tagged
 *       {@code issuer}.
 *   <li>Key-source gauges, per configured issuer, read from {@link AccessTokenValidator#health()} at each
 *       scrape: {@value #JWKS_KEYS} (usable keys cached), {@value #JWKS_AGE} (seconds since the last successful
 *       fetch; NaN before the first one and for static keys) and {@value #ISSUER_STATUS} (2 {@code UP}, 1
 *       {@code DEGRADED}, 0 {@code DOWN}). Like a readiness probe, reading them starts a fetch for an issuer with
 *       no keys or a failed fetch (never within the failure backoff).
 * </ul>
 *
 * <p>The refusal counters of every reason are registered at once, at zero, for {@value #UNKNOWN_ISSUER} and
 * every configured issuer, so a dashboard or an alert sees each series before its first refusal; so are the
 * shared-cache lookups and the replay-store errors of every configured issuer.
 */
public final class TokenwardMetrics implements ValidationListener {
  /** Name of the counter of validations by outcome, reason and issuer. */
  public static final String VALIDATIONS = "tokenward.validations";
  /** Name of the timer of validations by outcome. */
  public static final String VALIDATION = "tokenward.validation";
  /** Name of the counter of JWKS fetches by outcome and issuer. */
  public static final String JWKS_FETCHES = "tokenward.jwks.fetches";
  /** Name of the counter of tokens whose {@code kid} no loaded key has, by issuer. */
  public static final String UNKNOWN_KID = "tokenward.jwks.unknown.kid";
  /** Name of the gauge of usable keys cached, by issuer. */
  public static final String JWKS_KEYS = "tokenward.jwks.keys";
  /** Name of the gauge of seconds since the last successful JWKS fetch, by issuer. */
  public static final String JWKS_AGE = "tokenward.jwks.last.fetch.age";
  /** Name of the gauge of the key source's status (2 UP, 1 DEGRADED, 0 DOWN), by issuer. */
  public static final String ISSUER_STATUS = "tokenward.issuer.status";
  /** Name of the counter of token-cache lookups by result. */
  public static final String TOKEN_CACHE = "tokenward.token.cache.gets";
  /** Name of the counter of online-cache lookups by result. */
  public static final String ONLINE_CACHE = "tokenward.online.cache.gets";
  /** Name of the counter of userinfo and introspection calls by endpoint and issuer. */
  public static final String ONLINE_CALLS = "tokenward.online.calls";
  /** Name of the counter of replayed DPoP proofs by issuer. */
  public static final String DPOP_REPLAYS = "tokenward.dpop.replays";
  /** Name of the counter of lookups in the answers shared by replicas, by result. */
  public static final String SHARED_ONLINE_CACHE = "tokenward.shared.online.cache.gets";
  /** Name of the counter of DPoP proofs the replay store could not record, by issuer. */
  public static final String DPOP_REPLAY_STORE_ERRORS = "tokenward.dpop.replay.store.errors";
  /** The {@code issuer} tag of a refusal not attributed to a configured issuer. */
  public static final String UNKNOWN_ISSUER = "unknown";

  private final MeterRegistry registry;
  private final Map<String, Map<Reason, Counter>> refused = new ConcurrentHashMap<>();
  private final Map<String, Counter> accepted = new ConcurrentHashMap<>();
  private final Map<String, Counter> byIssuer = new ConcurrentHashMap<>(); // name + ' ' + outcome + ' ' + issuer
  private final Timer acceptedTime;
  private final Timer refusedTime;
  private final Counter cacheHits;
  private final Counter cacheMisses;
  private final Counter onlineHits;
  private final Counter onlineMisses;
  private final Counter sharedHits;
  private final Counter sharedMisses;
  private final Counter sharedErrors;

  private TokenwardMetrics(MeterRegistry registry) {
    this.registry = registry;
    refusalCounters(UNKNOWN_ISSUER);
    this.acceptedTime = timer("accepted");
    this.refusedTime = timer("refused");
    this.cacheHits = lookups(TOKEN_CACHE, "Token-cache lookups of JWTs", "hit");
    this.cacheMisses = lookups(TOKEN_CACHE, "Token-cache lookups of JWTs", "miss");
    this.onlineHits = lookups(ONLINE_CACHE, "Online-cache lookups of the issuer's answers about tokens", "hit");
    this.onlineMisses = lookups(ONLINE_CACHE, "Online-cache lookups of the issuer's answers about tokens", "miss");
    String shared = "Lookups in the issuer's answers shared by the replicas, after a local online-cache miss";
    this.sharedHits = lookups(SHARED_ONLINE_CACHE, shared, "hit");
    this.sharedMisses = lookups(SHARED_ONLINE_CACHE, shared, "miss");
    this.sharedErrors = lookups(SHARED_ONLINE_CACHE, shared, "error");
  }

  /**
   * Registers the meters in {@code registry} and returns the listener that moves them.
   *
   * @param registry where the meters live, for example a {@code PrometheusMeterRegistry}
   * @return a listener for {@code AccessTokenValidator.Builder.listener}; one per validator
   */
  public static TokenwardMetrics of(MeterRegistry registry) {
    return new TokenwardMetrics(Objects.requireNonNull(registry, "registry"));
  }

  /** Registers the key-source gauges and the refusal counters of each configured issuer. */
  @Override
  public void validatorBuilt(AccessTokenValidator validator) {
    for (TrustedIssuer t : validator.issuers()) {
      String issuer = t.issuer();
      refusalCounters(issuer);
      accepted.computeIfAbsent(issuer, i -> validations("accepted", "none", i));
      replayStoreErrors(issuer);
      gauge(JWKS_KEYS, "Usable signing keys cached for the issuer", null, validator, issuer, IssuerHealth::keys);
      gauge(JWKS_AGE, "Seconds since the issuer's keys were last fetched successfully", "seconds", validator, issuer,
          h -> h.lastFetch().map(at -> (registry.config().clock().wallTime() - at.toEpochMilli()) / 1000.0)
              .orElse(Double.NaN));
      gauge(ISSUER_STATUS, "The issuer's key source: 2 UP, 1 DEGRADED, 0 DOWN", null, validator, issuer,
          h -> h.status() == IssuerHealth.Status.UP ? 2 : h.status() == IssuerHealth.Status.DEGRADED ? 1 : 0);
    }
  }

  @Override
  public void tokenAccepted(String issuer, long nanos) {
    accepted.computeIfAbsent(issuer, i -> validations("accepted", "none", i)).increment();
    acceptedTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void tokenRefused(Reason reason, String issuer, long nanos) {
    // core passes a configured issuer or null, never a token's own iss: the series set stays bounded
    refusalCounters(issuer == null ? UNKNOWN_ISSUER : issuer).get(reason).increment();
    refusedTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void tokenCacheHit() {
    cacheHits.increment();
  }

  @Override
  public void tokenCacheMiss() {
    cacheMisses.increment();
  }

  @Override
  public void onlineCacheHit(String issuer) {
    onlineHits.increment();
  }

  @Override
  public void onlineCacheMiss(String issuer) {
    onlineMisses.increment();
  }

  @Override
  public void sharedOnlineCacheHit(String issuer) {
    sharedHits.increment();
  }

  @Override
  public void sharedOnlineCacheMiss(String issuer) {
    sharedMisses.increment();
  }

  @Override
  public void sharedOnlineCacheFailed(String issuer, Exception cause) {
    sharedErrors.increment();
  }

  @Override
  public void dpopReplayStoreFailed(String issuer, Exception cause) {
    replayStoreErrors(issuer).increment();
  }

  @Override
  public void keyFetchSucceeded(String issuer, int keys) {
    fetches("success", issuer).increment();
  }

  @Override
  public void keyFetchFailed(String issuer, Exception cause) {
    fetches("failure", issuer).increment();
  }

  @Override
  public void keyFetchRateLimited(String issuer) {
    fetches("rate_limited", issuer).increment();
  }

  @Override
  public void unknownKey(String issuer) {
    issuerCounter(UNKNOWN_KID, "Tokens naming a key the issuer's loaded JWKS does not hold", issuer).increment();
  }

  @Override
  public void dpopReplayDetected(String issuer) {
    issuerCounter(DPOP_REPLAYS, "DPoP proofs used a second time, refused", issuer).increment();
  }

  @Override
  public void onlineCall(String issuer, OpaqueTokenPolicy policy) {
    String endpoint = policy == OpaqueTokenPolicy.INTROSPECT ? "introspection" : "userinfo";
    byIssuer.computeIfAbsent(ONLINE_CALLS + ' ' + endpoint + ' ' + issuer, k -> Counter.builder(ONLINE_CALLS)
        .description("Calls to the issuer's userinfo or introspection endpoint about a token")
        .tag("endpoint", endpoint).tag("issuer", issuer).register(registry)).increment();
  }

  private Counter replayStoreErrors(String issuer) {
    return issuerCounter(DPOP_REPLAY_STORE_ERRORS, "DPoP proofs the replay store could not record, refused 503",
        issuer);
  }

  private Map<Reason, Counter> refusalCounters(String issuer) {
    return refused.computeIfAbsent(issuer, i -> {
      Map<Reason, Counter> counters = new EnumMap<>(Reason.class);
      for (Reason reason : Reason.values()) {
        counters.put(reason, validations("refused", reason.name(), i));
      }
      return counters;
    });
  }

  private Counter validations(String outcome, String reason, String issuer) {
    return Counter.builder(VALIDATIONS).description("Tokens validated, by outcome and reason")
        .tag("outcome", outcome).tag("reason", reason).tag("issuer", issuer).register(registry);
  }

  private Timer timer(String outcome) {
    return Timer.builder(VALIDATION).description("Time spent validating a token")
        .tag("outcome", outcome).register(registry);
  }

  private Counter lookups(String name, String description, String result) {
    return Counter.builder(name).description(description).tag("result", result).register(registry);
  }

  private Counter fetches(String outcome, String issuer) {
    return byIssuer.computeIfAbsent(JWKS_FETCHES + ' ' + outcome + ' ' + issuer, k -> Counter.builder(JWKS_FETCHES)
        .description("Fetches of the issuer's signing keys (JWKS)")
        .tag("outcome", outcome).tag("issuer", issuer).register(registry));
  }

  private Counter issuerCounter(String name, String description, String issuer) {
    return byIssuer.computeIfAbsent(name + ' ' + issuer, k -> Counter.builder(name).description(description)
        .tag("issuer", issuer).register(registry));
  }

  private void gauge(String name, String description, String unit, AccessTokenValidator validator, String issuer,
      ToDoubleFunction<IssuerHealth> value) {
    Gauge.builder(name, validator, v -> {
      for (IssuerHealth h : v.health()) {
        if (h.issuer().equals(issuer)) {
          return value.applyAsDouble(h);
        }
      }
      return Double.NaN;
    }).description(description).baseUnit(unit).tag("issuer", issuer).register(registry);
  }
}
