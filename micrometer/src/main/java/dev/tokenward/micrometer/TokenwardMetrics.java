package dev.tokenward.micrometer;

import dev.tokenward.core.OpaqueTokenPolicy;
import dev.tokenward.core.Reason;
import dev.tokenward.core.ValidationListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters for a tokenward validator: pass {@code TokenwardMetrics.of(registry)} to
 * {@code AccessTokenValidator.Builder.listener}. Every tag value comes from a bounded set (a
 * {@link Reason}, a configured issuer, a fixed word), never from a token, a subject or a claim.
 *
 * <ul>
 *   <li>{@value #VALIDATIONS} (counter): tokens validated, tagged {@code outcome} ({@code accepted} or
 *       {@code refused}), {@code reason} (the {@link Reason} constant, {@code none} when accepted) and
 *       {@code issuer} (the configured issuer; {@code unknown} for refusals, which are not yet attributed).
 *   <li>{@value #VALIDATION} (timer): time spent in {@code validate}, tagged {@code outcome}.
 *   <li>{@value #JWKS_FETCHES} (counter): JWKS fetches, tagged {@code outcome} ({@code success} or
 *       {@code failure}) and {@code issuer}.
 *   <li>{@value #TOKEN_CACHE} (counter): token-cache lookups of JWTs, tagged {@code result} ({@code hit} or
 *       {@code miss}).
 *   <li>{@value #ONLINE_CALLS} (counter): calls to the issuer about a token, tagged {@code endpoint}
 *       ({@code userinfo} or {@code introspection}) and {@code issuer}; answers from the online cache are not calls.
 * </ul>
 *
 * <p>The refusal counters of every reason are registered at once, at zero, so a dashboard or an alert
 * sees each series before its first refusal.
 */
public final class TokenwardMetrics implements ValidationListener {
  /** Name of the counter of validations by outcome, reason and issuer. */
  public static final String VALIDATIONS = "tokenward.validations";
  /** Name of the timer of validations by outcome. */
  public static final String VALIDATION = "tokenward.validation";
  /** Name of the counter of JWKS fetches by outcome and issuer. */
  public static final String JWKS_FETCHES = "tokenward.jwks.fetches";
  /** Name of the counter of token-cache lookups by result. */
  public static final String TOKEN_CACHE = "tokenward.token.cache.gets";
  /** Name of the counter of userinfo and introspection calls by endpoint and issuer. */
  public static final String ONLINE_CALLS = "tokenward.online.calls";
  /** The {@code issuer} tag of a refusal not attributed to a configured issuer. */
  public static final String UNKNOWN_ISSUER = "unknown";

  private final MeterRegistry registry;
  private final Map<Reason, Counter> refused = new EnumMap<>(Reason.class);
  private final Map<String, Counter> accepted = new ConcurrentHashMap<>();
  private final Map<String, Counter> fetchSucceeded = new ConcurrentHashMap<>();
  private final Map<String, Counter> fetchFailed = new ConcurrentHashMap<>();
  private final Map<String, Counter> onlineCalls = new ConcurrentHashMap<>();
  private final Timer acceptedTime;
  private final Timer refusedTime;
  private final Counter cacheHits;
  private final Counter cacheMisses;

  private TokenwardMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Reason reason : Reason.values()) {
      refused.put(reason, validations("refused", reason.name(), UNKNOWN_ISSUER));
    }
    this.acceptedTime = timer("accepted");
    this.refusedTime = timer("refused");
    this.cacheHits = Counter.builder(TOKEN_CACHE).description("Token-cache lookups of JWTs")
        .tag("result", "hit").register(registry);
    this.cacheMisses = Counter.builder(TOKEN_CACHE).description("Token-cache lookups of JWTs")
        .tag("result", "miss").register(registry);
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

  @Override
  public void tokenAccepted(String issuer, long nanos) {
    accepted.computeIfAbsent(issuer, i -> validations("accepted", "none", i)).increment();
    acceptedTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void tokenRefused(Reason reason, String issuer, long nanos) {
    // the issuer argument is not used as a tag yet: core passes none for refusals, and one counter per reason
    // keeps the series set fixed
    refused.get(reason).increment();
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
  public void keyFetchSucceeded(String issuer, int keys) {
    fetchSucceeded.computeIfAbsent(issuer, i -> fetches("success", i)).increment();
  }

  @Override
  public void keyFetchFailed(String issuer, Exception cause) {
    fetchFailed.computeIfAbsent(issuer, i -> fetches("failure", i)).increment();
  }

  @Override
  public void onlineCall(String issuer, OpaqueTokenPolicy policy) {
    String endpoint = policy == OpaqueTokenPolicy.INTROSPECT ? "introspection" : "userinfo";
    onlineCalls.computeIfAbsent(endpoint + " " + issuer, k -> Counter.builder(ONLINE_CALLS)
        .description("Calls to the issuer's userinfo or introspection endpoint about a token")
        .tag("endpoint", endpoint).tag("issuer", issuer).register(registry)).increment();
  }

  private Counter validations(String outcome, String reason, String issuer) {
    return Counter.builder(VALIDATIONS).description("Tokens validated, by outcome and reason")
        .tag("outcome", outcome).tag("reason", reason).tag("issuer", issuer).register(registry);
  }

  private Timer timer(String outcome) {
    return Timer.builder(VALIDATION).description("Time spent validating a token")
        .tag("outcome", outcome).register(registry);
  }

  private Counter fetches(String outcome, String issuer) {
    return Counter.builder(JWKS_FETCHES).description("Fetches of the issuer's signing keys (JWKS)")
        .tag("outcome", outcome).tag("issuer", issuer).register(registry);
  }
}
