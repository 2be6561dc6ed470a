package dev.tokenward.core;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import okhttp3.HttpUrl;

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
    CompletableFuture<KeySet> f = refresher.refresh(refresher.value().isLoaded());
    if (f != null) {
      Refresher.await(f, waitTimeout);
    }
    if (refresher.failing()) {
      KeySet keys = refresher.value();
      throw TokenValidationException.unavailable((keys.isLoaded()
          ? "the token's key is not among the cached keys and the issuer's JWKS cannot be fetched now"
          : "the issuer's signing keys (JWKS) cannot be fetched") + " from " + issuer + "; retry later",
          refresher.retryAfter(), null);
    }
    return refresher.value();
  }

  private KeySet fetch(KeySet previous) throws IOException, TokenValidationException {
    HttpUrl url = discovery.await(waitTimeout).jwksUri();
    if (url == null) {
      throw new IOException("the issuer publishes no jwks_uri; configure jwksUri or static keys");
    }
    IssuerHttp.Answer answer = http.get(url, null, MAX_JWKS_BYTES);
    if (!answer.ok()) {
      throw new IOException("JWKS endpoint answered HTTP " + answer.code());
    }
    JWKSet jwks;
    try {
      jwks = JWKSet.parse(answer.body());
    } catch (java.text.ParseException e) {
      throw new IOException("JWKS document is not a valid JWK set: " + e.getMessage());
    }
    KeySet next = KeySet.of(jwks, url.toString(), clock.millis(), previous);
    if (next.size() == 0) {
      throw new IOException("JWKS document holds no usable signing key");
    }
    return next;
  }
}
