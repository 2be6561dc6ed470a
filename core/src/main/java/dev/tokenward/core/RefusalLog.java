package dev.tokenward.core;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs refusals that point at a misconfiguration rather than at one bad client: the same wrong
 * audience, wrong issuer or opaque token arriving again and again (an API identifier mistyped on
 * one side, a client that forgot {@code audience}, a tenant moved). One WARN names the check and
 * the values seen, from the refusal's description, which never holds the token; it comes after
 * {@value #REPEATS} identical refusals, and at most once a minute per check.
 */
final class RefusalLog {
  private static final Logger log = LoggerFactory.getLogger(AccessTokenValidator.class);
  static final int REPEATS = 3;
  static final long INTERVAL_MILLIS = 60_000;
  private static final int MAX_TRACKED = 256; // distinct descriptions; an attacker varying values cannot grow it
  private static final Set<Reason> WATCHED = EnumSet.of(Reason.WRONG_AUDIENCE, Reason.WRONG_ISSUER,
      Reason.OPAQUE_REJECTED);

  private final Clock clock;
  private volatile Consumer<String> sink;
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final Map<Reason, AtomicLong> lastWarned = new ConcurrentHashMap<>();

  RefusalLog(Clock clock) {
    this(clock, log::warn);
  }

  RefusalLog(Clock clock, Consumer<String> sink) {
    this.clock = clock;
    this.sink = sink;
  }

  /** Where the warnings go instead of the log, for tests. */
  void sink(Consumer<String> sink) {
    this.sink = sink;
  }

  /** Counts a refusal; warns when it is the same one repeated. Cheap when the reason is not watched. */
  void refused(TokenValidationException e) {
    Reason reason = e.reason();
    if (!WATCHED.contains(reason)) {
      return;
    }
    String key = reason.name() + ' ' + e.description();
    AtomicLong count = counts.get(key);
    if (count == null) {
      if (counts.size() >= MAX_TRACKED) {
        counts.clear();
      }
      count = counts.computeIfAbsent(key, k -> new AtomicLong());
    }
    long n = count.incrementAndGet();
    if (n < REPEATS) {
      return;
    }
    long now = clock.millis();
    AtomicLong last = lastWarned.computeIfAbsent(reason, r -> new AtomicLong(Long.MIN_VALUE / 2));
    long before = last.get();
    if (now - before < INTERVAL_MILLIS || !last.compareAndSet(before, now)) {
      return;
    }
    count.set(0);
    sink.accept(n + " tokens refused by the " + check(reason) + " check with the same values: " + e.description()
        + ". Repeated refusals like these usually mean a misconfiguration (of this API's " + setting(reason)
        + " or of its clients), not one bad client; at most one such warning per minute per check");
  }

  private static String check(Reason reason) {
    return switch (reason) {
      case WRONG_AUDIENCE -> "audience";
      case WRONG_ISSUER -> "issuer";
      default -> "opaque-token";
    };
  }

  private static String setting(Reason reason) {
    return switch (reason) {
      case WRONG_AUDIENCE -> "audience";
      case WRONG_ISSUER -> "issuer";
      default -> "opaque policy";
    };
  }
}
