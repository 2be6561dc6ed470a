package dev.tokenward.core;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An issuer's signing keys, cached. This is where tokenward touches the JWKS endpoint, and the
 * only place: the hot path reads an immutable snapshot with no lock and no I/O.
 *
 * <ul>
 *   <li>A token whose {@code kid} is unknown triggers at most one refetch per cooldown; concurrent
 *       misses join the one fetch in flight.
 *   <li>Keys are refreshed in the background once the snapshot is older than the refresh interval,
 *       without making any request wait.
 *   <li>When the endpoint fails, the keys already cached keep working for at most the maximum
 *       staleness after the last successful fetch; the failure is logged once.
 *   <li>The answer is capped in bytes and in keys; RSA keys under 2048 bits are ignored.
 * </ul>
 */
final class JwksCache {
  private static final Logger log = LoggerFactory.getLogger(JwksCache.class);
  static final int MAX_JWKS_BYTES = 512 * 1024;

  private final String issuer;
  private final Discovery discovery;
  private final IssuerHttp http;
  private final Clock clock;
  private final long refreshIntervalMillis;
  private final Duration maxStaleness;
  private final Duration waitTimeout;
  private final Refresher<KeySet> refresher;
  private final ValidationListener listener; // null when none is set

  JwksCache(TrustedIssuer config, Discovery discovery, IssuerHttp http, Executor executor, Clock clock,
      AccessTokenValidator.Settings settings) {
    this.issuer = config.issuer;
    this.discovery = discovery;
    this.http = http;
    this.clock = clock;
    this.refreshIntervalMillis = settings.jwksRefreshInterval.toMillis();
    this.listener = settings.listener;
    this.maxStaleness = settings.jwksMaxStaleness;
    this.waitTimeout = http.callTimeout().multipliedBy(2);
    this.refresher = new Refresher<>("JWKS of " + config.issuer, KeySet.EMPTY, this::fetch, executor, clock,
        settings.jwksRefetchCooldown, settings.issuerRetryBackoff);
    if (listener != null) {
      ValidationListener l = listener;
      String name = config.issuer;
      refresher.onRateLimited(() -> l.keyFetchRateLimited(name));
    }
  }

  /**
   * The current snapshot; starts a background refresh when it is due, without blocking. Keys older
   * than the maximum staleness (the JWKS has failed that long, or nothing asked for a long time) are
   * not used: one refetch is tried, and if it does not succeed the issuer is unavailable.
   */
  KeySet usable() throws TokenValidationException {
    KeySet keys = refresher.value();
    if (keys.isLoaded()) {
      long age = clock.millis() - keys.fetchedAtMillis;
      if (age > refreshIntervalMillis) {
        if (age > maxStaleness.toMillis()) {
          return refetchStale();
        }
        refresher.refresh(false); // fire and forget; coalesced, and not while failing
      }
    }
    return keys;
  }

  private KeySet refetchStale() throws TokenValidationException {
    CompletableFuture<KeySet> f = refresher.refresh(false, true); // the caller waits anyway: it runs the fetch
    if (f != null) {
      Refresher.await(f, waitTimeout);
    }
    KeySet keys = refresher.value();
    long age = clock.millis() - keys.fetchedAtMillis;
    if (age <= maxStaleness.toMillis()) {
      return keys;
    }
    throw unavailable("the issuer's cached keys were last fetched " + Duration.ofMillis(age).withNanos(0)
        + " ago, longer than the maximum staleness (jwksMaxStaleness " + maxStaleness + "), and its JWKS cannot be "
        + "fetched now");
  }

  /**
   * For a token whose key is not in the snapshot: refetches once per cooldown (joining a fetch in
   * flight) and returns the newest snapshot. Throws issuer-unavailable when the keys cannot be
   * fetched and so the question cannot be decided.
   */
  KeySet refreshForUnknownKey(KeySet seen) throws TokenValidationException {
    KeySet current = refresher.value();
    if (current != seen && current.isLoaded()) {
      return current; // a fetch ended since the caller looked: try those keys before fetching again
    }
    // the caller waits for this fetch anyway, so it runs it: no thread hand-off for a first token
    CompletableFuture<KeySet> f = refresher.refresh(refresher.value().isLoaded(), true);
    if (f != null && !Refresher.await(f, waitTimeout) && !f.isDone()) {
      // still no answer: the key can be neither found nor ruled out, so this is the issuer's fault
      throw unavailable("the issuer's JWKS did not answer in time");
    }
    if (refresher.failing()) {
      throw unavailable(refresher.value().isLoaded()
          ? "the token's key is not among the cached keys and the issuer's JWKS cannot be fetched now"
          : "the issuer's signing keys (JWKS) cannot be fetched");
    }
    return refresher.value();
  }

  /**
   * The key source's health. Before the first fetch, or after a failed one once its backoff has
   * passed, it starts a fetch in the background, so a readiness probe brings the keys in by itself
   * and a health check sees a recovered issuer without waiting for the next refresh.
   */
  IssuerHealth health() {
    KeySet keys = refresher.value();
    if (!keys.isLoaded() || refresher.failing()) {
      refresher.refresh(false); // not while backing off from the failure, nor twice at once
      keys = refresher.value();
    }
    Throwable error = refresher.lastError();
    java.util.Optional<String> lastError = java.util.Optional.ofNullable(error)
        .map(e -> e instanceof TokenValidationException t ? t.getMessage() : Refresher.describe(e));
    if (!keys.isLoaded()) {
      return new IssuerHealth(issuer, IssuerHealth.Status.DOWN, 0, java.util.Optional.empty(), lastError,
          java.util.Optional.empty());
    }
    long age = clock.millis() - keys.fetchedAtMillis;
    IssuerHealth.Status status = age > maxStaleness.toMillis() ? IssuerHealth.Status.DOWN
        : refresher.failing() || age > maxStaleness.toMillis() / 2 ? IssuerHealth.Status.DEGRADED
        : IssuerHealth.Status.UP;
    return new IssuerHealth(issuer, status, keys.size(),
        java.util.Optional.of(java.time.Instant.ofEpochMilli(keys.fetchedAtMillis)), lastError,
        java.util.Optional.of(java.time.Instant.ofEpochMilli(keys.fetchedAtMillis + refreshIntervalMillis)));
  }

  /** Starts the first fetch now (or joins the one in flight); null if a failed fetch is still backing off. */
  CompletableFuture<KeySet> prefetch() {
    return refresher.refresh(false);
  }

  /** True once keys have been fetched. Never starts a fetch. */
  boolean loaded() {
    return refresher.value().isLoaded();
  }

  /** Issuer-unavailable naming what failed: discovery's own words if discovery failed, else the JWKS URL and the fault. */
  private TokenValidationException unavailable(String what) {
    Throwable cause = refresher.lastError();
    String detail = cause instanceof TokenValidationException t ? t.getMessage()
        : what + ": " + (cause == null ? "no answer in time from the JWKS of " + issuer : Refresher.describe(cause))
            + "; retry later";
    return TokenValidationException.unavailable(detail, refresher.retryAfter(), null);
  }

  private KeySet fetch(KeySet previous) throws IOException, TokenValidationException {
    if (listener == null) {
      return fetchKeys(previous);
    }
    try {
      KeySet next = fetchKeys(previous);
      listener.keyFetchSucceeded(issuer, next.size());
      return next;
    } catch (IOException | TokenValidationException | RuntimeException e) {
      listener.keyFetchFailed(issuer, e);
      throw e;
    }
  }

  private KeySet fetchKeys(KeySet previous) throws IOException, TokenValidationException {
    HttpUrl url = discovery.await(waitTimeout).jwksUri();
    if (url == null) {
      throw new IssuerHttp.FetchFailure("the issuer's discovery document names no jwks_uri; configure jwksUri or static keys");
    }
    IssuerHttp.Answer answer = http.getDocument(url, MAX_JWKS_BYTES);
    if (!answer.ok()) {
      throw new IssuerHttp.FetchFailure(url + " answered HTTP " + answer.code());
    }
    KeySet next = KeySet.of(parseTolerantly(answer.body(), url), url.toString(), clock.millis(), previous);
    if (next.size() == 0) {
      throw new IssuerHttp.FetchFailure(url + " holds no usable signing key");
    }
    return next;
  }

  /** Parses each key on its own, so one malformed key (say, an EC point off its curve) does not hide the others. */
  private static JWKSet parseTolerantly(String body, HttpUrl url) throws IOException {
    Map<String, Object> doc;
    try {
      doc = Json.parseObject(body, MAX_JWKS_BYTES);
    } catch (java.text.ParseException e) {
      throw new IssuerHttp.FetchFailure(url + " answered something that is not a JSON object");
    }
    if (!(doc.get("keys") instanceof List<?> keys)) {
      throw new IssuerHttp.FetchFailure(url + " answered a document with no 'keys' array");
    }
    if (keys.size() > KeySet.MAX_KEYS) {
      throw new IssuerHttp.FetchFailure(url + " lists " + keys.size() + " keys, more than the limit of " + KeySet.MAX_KEYS);
    }
    List<JWK> parsed = new ArrayList<>();
    for (Object key : keys) {
      try {
        if (!(key instanceof Map<?, ?>)) {
          throw new java.text.ParseException("not a JSON object", 0);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) key;
        parsed.add(JWK.parse(json));
      } catch (java.text.ParseException | RuntimeException e) {
        log.warn("Ignoring a malformed key in the JWKS from {}: {}", url, e.getMessage());
      }
    }
    return new JWKSet(parsed);
  }
}
