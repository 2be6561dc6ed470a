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
   * A token passed validation: {@link AccessTokenValidator#validate(String)}, {@code validateOnline},
   * or the whole request's check, {@link AccessTokenValidator#validate(TokenRequest)}.
   *
   * @param issuer the configured issuer that vouched for it, spelled as configured
   * @param nanos how long the validation took
   */
  default void tokenAccepted(String issuer, long nanos) {}

  /**
   * A token or a request was refused, by any validation method: the token checks, the issuer's
   * online answer ({@code validateOnline}), and on the request-level path
   * {@link AccessTokenValidator#validate(TokenRequest)} also what comes before and after the token:
   * no credentials ({@link Reason#MISSING_TOKEN}), a malformed {@code Authorization} header, a DPoP
   * proof or binding that fails. Each refusal is reported once, however it was reached.
   *
   * @param reason why
   * @param issuer the configured issuer whose rules refused it (spelled as configured), once the token
   *     named one: a wrong audience, a bad signature, an expired token of that issuer. Null when no
   *     configured issuer is known: the token's {@code iss} is not configured (never passed on, since the
   *     caller chooses it), or the request was refused before its token was read
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
   * A refetch of the issuer's JWKS for a token with an unknown {@code kid} was not made, because one
   * was made within the refetch cooldown ({@code jwksRefetchCooldown}); the token was decided with the
   * cached keys. Many of these mean tokens signed by a key the issuer does not publish (a
   * misconfigured client, another tenant, an attack), or a rotation the cache has not caught up with.
   *
   * @param issuer the configured issuer
   */
  default void keyFetchRateLimited(String issuer) {}

  /**
   * A token of this issuer named a {@code kid} (or, without a {@code kid}, an algorithm) that no cached
   * key fits, while keys were loaded: a key rotation or a token signed elsewhere. A refetch follows
   * unless rate-limited. The {@code kid} itself is not passed: the caller chooses it.
   *
   * @param issuer the configured issuer
   */
  default void unknownKey(String issuer) {}

  /**
   * A DPoP proof was used a second time within its lifetime and the request refused
   * ({@link Reason#DPOP_PROOF_REPLAY}): a stolen proof, or a client that reuses proofs.
   *
   * @param issuer the configured issuer of the token the proof came with
   */
  default void dpopReplayDetected(String issuer) {}

  /**
   * An opaque token, or a JWT checked online, was answered from the online cache, without a call to
   * the issuer.
   *
   * @param issuer the configured issuer whose answer was cached
   */
  default void onlineCacheHit(String issuer) {}

  /**
   * The online cache held no answer for the token: a call to the issuer follows ({@link #onlineCall}),
   * or the request joins one in flight for the same token.
   *
   * @param issuer the configured issuer that is asked
   */
  default void onlineCacheMiss(String issuer) {}

  /**
   * A token the local online cache did not hold was answered from the {@link SharedOnlineCache}: another
   * replica had asked the issuer, before this lookup or while this replica waited for the replica holding
   * the call. The answer is still checked here before it is used.
   *
   * @param issuer the configured issuer whose answer was shared
   */
  default void sharedOnlineCacheHit(String issuer) {}

  /**
   * The {@link SharedOnlineCache} held no answer for the token (or none came within the wait for the
   * replica holding the call): this replica asks the issuer and shares the answer.
   *
   * @param issuer the configured issuer that is asked
   */
  default void sharedOnlineCacheMiss(String issuer) {}

  /**
   * The {@link SharedOnlineCache} failed (a read, a lock or a write; down or timed out): the issuer was
   * asked without it, or its answer was not shared. Never a refusal: it costs a call to the issuer.
   *
   * @param issuer the configured issuer concerned
   * @param cause what failed; its message names the store, never a token or a key
   */
  default void sharedOnlineCacheFailed(String issuer, Exception cause) {}

  /**
   * The DPoP replay store could not record a proof (a shared store down or timed out, a local one
   * full): the request was refused {@link Reason#REPLAY_STORE_UNAVAILABLE}, 503, since replay protection
   * cannot be enforced without it.
   *
   * @param issuer the configured issuer of the token the proof came with
   * @param cause what failed; its message names the store, never a proof, a {@code jti} or a key
   */
  default void dpopReplayStoreFailed(String issuer, Exception cause) {}

  /**
   * Called once by {@link AccessTokenValidator.Builder#build()} with the validator this listener
   * was given to, before {@code build()} returns it: a listener that reports state rather than
   * events (gauges of {@link AccessTokenValidator#health()}) keeps it to read that state.
   *
   * @param validator the validator just built
   */
  default void validatorBuilt(AccessTokenValidator validator) {}

  /**
   * The issuer was asked about a token (userinfo or RFC 7662 introspection); answers served from the
   * online cache are not calls.
   *
   * @param issuer the configured issuer
   * @param policy which endpoint was asked
   */
  default void onlineCall(String issuer, OpaqueTokenPolicy policy) {}
}
