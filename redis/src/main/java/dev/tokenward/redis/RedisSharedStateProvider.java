package dev.tokenward.redis;

import dev.tokenward.core.SharedState;
import dev.tokenward.core.SharedStateProvider;
import java.util.List;

/**
 * Opens a {@link RedisSharedState} for {@code redis://}, {@code rediss://}, {@code redis-sentinel://},
 * {@code redis-cluster://} and {@code rediss-cluster://} URIs: registered in
 * {@code META-INF/services}, so {@code TOKENWARD_REDIS_URI} (read by core, which cannot name this
 * module) reaches it when this jar is on the class path. Not for direct use.
 */
public final class RedisSharedStateProvider implements SharedStateProvider {
  /** For {@link java.util.ServiceLoader}. */
  public RedisSharedStateProvider() {}

  @Override
  public List<String> schemes() {
    return RedisSharedState.SCHEMES;
  }

  @Override
  public String module() {
    return "dev.tokenward:tokenward-redis";
  }

  @Override
  public SharedState open(String uri) {
    return RedisSharedState.builder().uri(uri).build();
  }
}
