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
 *   <li>When the endpoint fails, the keys already cached keep working; the failure is logged once.
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
  private final Duration waitTimeout;
  private final Refresher<KeySet> refresher;

  JwksCache(TrustedIssuer config, Discovery discovery, IssuerHttp http, Executor executor, Clock clock,
      AccessTokenValidator.Settings settings) {
    this.issuer = config.issuer;
    this.discovery = discovery;
    this.http = http;
    this.clock = clock;
    this.refreshIntervalMillis = settings.jwksRefreshInterval.toMillis();
    this.waitTimeout = http.callTimeout().multipliedBy(2);
    this.refresher = new Refresher<>("JWKS of " + config.issuer, KeySet.EMPTY, this::fetch, executor, clock,
        settings.jwksRefetchCooldown, settings.issuerRetryBackoff);
  }

  /** The current snapshot; starts a background refresh when it is due. Never blocks. */
  KeySet current() {
    KeySet keys = refresher.value();
    if (keys.isLoaded() && clock.millis() - keys.fetchedAtMillis > refreshIntervalMillis) {
      refresher.refresh(false); // fire and forget; coalesced, and not while failing
    }
    return keys;
  }

  /**
   * For a token whose key is not in the snapshot: refetches once per cooldown (joining a fetch in
   * flight) and returns the newest snapshot. Throws issuer-unavailable when the keys cannot be
   * fetched and so the question cannot be decided.
   */
  KeySet refreshForUnknownKey() throws TokenValidationException {
    // the caller waits for this fetch anyway, so it runs it: no thread hand-off for a first token
    CompletableFuture<KeySet> f = refresher.refresh(refresher.value().isLoaded(), true);
    if (f != null) {
      Refresher.await(f, waitTimeout);
    }
    if (refresher.failing()) {
      throw unavailable(refresher.value().isLoaded()
          ? "the token's key is not among the cached keys and the issuer's JWKS cannot be fetched now"
          : "the issuer's signing keys (JWKS) cannot be fetched");
    }
    return refresher.value();
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
    HttpUrl url = discovery.await(waitTimeout).jwksUri();
    if (url == null) {
      throw new IssuerHttp.FetchFailure("the issuer's discovery document names no jwks_uri; configure jwksUri or static keys");
    }
    IssuerHttp.Answer answer = http.get(url, null, MAX_JWKS_BYTES);
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
