package dev.tokenward.core;

import java.util.List;

/**
 * Opens a {@link SharedState} from a URI, found by {@link java.util.ServiceLoader}: how a setting read
 * by core ({@code TOKENWARD_REDIS_URI}) reaches an optional module that core cannot depend on.
 * {@code tokenward-redis} registers one for {@code redis://}, {@code rediss://}, {@code redis-sentinel://},
 * {@code redis-cluster://} and {@code rediss-cluster://}. When no provider
 * on the class path serves the URI's scheme, the validator refuses to start, naming the module to
 * add: replay protection across replicas is never quietly replaced by a per-process store.
 */
public interface SharedStateProvider {
  /** The URI schemes served, in lower case, e.g. {@code redis} and {@code rediss}. */
  List<String> schemes();

  /** The Maven coordinates of the module, for the message that asks to add it, e.g. {@code dev.tokenward:tokenward-redis}. */
  String module();

  /**
   * Opens the store: checks the URI and prepares the connection. A store that cannot be reached yet is
   * not an error here; it is retried, and until it answers DPoP requests are refused (503).
   *
   * @throws IllegalArgumentException if the URI is unusable; the message must not repeat it (it may hold a password)
   */
  SharedState open(String uri);
}
