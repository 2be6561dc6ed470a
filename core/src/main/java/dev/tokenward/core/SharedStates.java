package dev.tokenward.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the {@link SharedStateProvider} for a URI's scheme on the class path (core's class loader,
 * then the thread's context loader, as in a servlet container where tokenward sits in the
 * application). No provider is a configuration error naming the module to add: fail closed.
 */
final class SharedStates {
  /** The module that serves {@code redis://}, named when it is missing. */
  static final String REDIS_MODULE = "dev.tokenward:tokenward-redis";

  private SharedStates() {}

  /** The provider serving {@code uri}'s scheme; the message never repeats the URI (it may hold a password). */
  static SharedStateProvider providerFor(String uri) {
    String scheme = schemeOf(uri);
    List<SharedStateProvider> found = new ArrayList<>();
    load(SharedStateProvider.class.getClassLoader(), found);
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && context != SharedStateProvider.class.getClassLoader()) {
      load(context, found);
    }
    for (SharedStateProvider p : found) {
      if (p.schemes().contains(scheme)) {
        return p;
      }
    }
    String module = scheme.startsWith("redis") ? REDIS_MODULE : "a module that provides " + scheme + "://";
    for (SharedStateProvider p : found) {
      if (p.module().equals(module)) { // the module is here, the scheme is not one it serves: never a fallback
        throw new IllegalArgumentException("sharedState: the scheme " + scheme + ":// is not supported by " + module
            + ", which serves " + String.join(", ", p.schemes().stream().map(s -> s + "://").toList())
            + " (the value is not shown: it may hold a password)");
      }
    }
    throw new IllegalArgumentException("sharedState: a " + scheme + ":// store is configured, but no "
        + "SharedStateProvider for " + scheme + ":// is on the class path; add the dependency " + module
        + " (replay protection across replicas is never replaced by a per-process store)");
  }

  private static void load(ClassLoader loader, List<SharedStateProvider> out) {
    try {
      for (SharedStateProvider p : ServiceLoader.load(SharedStateProvider.class, loader)) {
        if (out.stream().noneMatch(q -> q.getClass() == p.getClass())) {
          out.add(p);
        }
      }
    } catch (ServiceConfigurationError e) {
      throw new IllegalStateException("sharedState: a SharedStateProvider on the class path cannot be loaded: "
          + e.getMessage(), e);
    }
  }

  private static String schemeOf(String uri) {
    int colon = uri == null ? -1 : uri.indexOf("://");
    String scheme = colon <= 0 ? "" : uri.substring(0, colon).toLowerCase(Locale.ROOT);
    if (!scheme.matches("[a-z][a-z0-9+.-]*")) {
      throw new IllegalArgumentException("sharedState: not a URI of the form scheme://host[:port], such as "
          + "redis://127.0.0.1:6379 (the value is not shown: it may hold a password)");
    }
    return scheme;
  }
}
