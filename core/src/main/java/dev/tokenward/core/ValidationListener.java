package dev.tokenward.core;

/**
 * Events of a validator, for metrics and audit: set one with {@link AccessTokenValidator.Builder#listener}.
 * Every method does nothing by default, so an implementation overrides only what it counts; without a
 * listener the validator skips the calls and the clock reads altogether.
 *
 * <p>Methods are called on the validating thread (key fetches on a fetch thread), concurrently: an
 * implementation must be thread-safe, fast and must not throw. No argument ever carries a token, a
 * subject or a claim value: issuers are the configured ones, so each argument is drawn from a bounded
 * set and is safe as a metric tag.
 */
public interface ValidationListener {

  /**
   * A token passed {@link AccessTokenValidator#validate(String)}.
   *
   * @param issuer the configured issuer that vouched for it
   * @param nanos how long the validation took
   */
  default void tokenAccepted(String issuer, long nanos) {}

  /**
   * A token was refused by {@link AccessTokenValidator#validate(String)}.
   *
   * @param reason why
   * @param issuer always null for now: the refusal is not yet attributed to a configured issuer (a
   *     token's own {@code iss} is never passed, since the caller chooses it)
   * @param nanos how long the validation took
   */
  default void tokenRefused(Reason reason, String issuer, long nanos) {}

  /** A verified token was answered from the token cache. */
  default void tokenCacheHit() {}

  /** A JWT was not in the token cache (or its entry no longer held) and was verified in full. */
  default void tokenCacheMiss() {}

  /**
   * The issuer's JWKS was fetched and held usable keys.
   *
   * @param issuer the configured issuer
   * @param keys how many usable keys it holds
   */
  default void keyFetchSucceeded(String issuer, int keys) {}

  /**
   * Fetching the issuer's JWKS failed; cached keys, if any, keep being used.
   *
   * @param issuer the configured issuer
   * @param cause what failed; its message may name the URL, never a token
   */
  default void keyFetchFailed(String issuer, Exception cause) {}

  /**
   * The issuer was asked about a token (userinfo or RFC 7662 introspection); answers served from the
   * online cache are not calls.
   *
   * @param issuer the configured issuer
   * @param policy which endpoint was asked
   */
  default void onlineCall(String issuer, OpaqueTokenPolicy policy) {}
}
