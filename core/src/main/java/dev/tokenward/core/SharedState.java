package dev.tokenward.core;

/**
 * A store outside the process that the replicas of a service share: where DPoP proofs are recorded
 * (so a proof used at one replica is a replay at every other, RFC 9449 section 11.1) and where the
 * issuer's answers about opaque tokens are cached. Keys and verified JWTs stay per replica: they are
 * derived from public data and cheap to rebuild.
 *
 * <p>Given to {@link AccessTokenValidator.Builder#sharedState(SharedState)}, it belongs to the
 * validator, whose {@link AccessTokenValidator#close()} closes it. {@code tokenward-redis}'s
 * {@code RedisSharedState} is one; {@code TOKENWARD_REDIS_URI} finds it through a
 * {@link SharedStateProvider}.
 */
public interface SharedState extends AutoCloseable {
  /** Where DPoP proofs are recorded; it throws when the store cannot answer, and the request is refused (503). */
  DpopReplayStore dpopReplayStore();

  /** Where the issuer's userinfo and introspection answers are shared; a failure there costs a call to the issuer. */
  SharedOnlineCache onlineCache();

  /** Releases the connections and threads; idempotent. */
  @Override
  void close();
}
