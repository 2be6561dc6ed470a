package dev.tokenward.core;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value fetched from the network, refreshed at most once per cooldown, with concurrent callers
 * joining the one fetch in flight. Reading the value is a volatile read and never blocks.
 *
 * <p>A failed fetch keeps the previous value, is logged once per outage (not once per request),
 * and is not retried before the failure backoff has passed.
 */
final class Refresher<T> {
  private static final Logger log = LoggerFactory.getLogger(Refresher.class);

  interface Loader<T> {
    T load(T previous) throws Exception;
  }

  private record Attempt<T>(long startedAtMillis, CompletableFuture<T> future) {
    boolean failed() {
      return future.isCompletedExceptionally();
    }
  }

  private final String what;
  private final Loader<T> loader;
  private final Executor executor;
  private final Clock clock;
  private final long cooldownMillis; // between rate-limited fetches
  private final long failureBackoffMillis;
  private final AtomicReference<Attempt<T>> attempt = new AtomicReference<>();
  private volatile T value;
  private volatile Throwable lastError;
  private volatile long lastRateLimitedStart = Long.MIN_VALUE / 2;
  private volatile Runnable onRateLimited; // told of each rate-limited fetch the cooldown skipped; null: nobody

  Refresher(String what, T initial, Loader<T> loader, Executor executor, Clock clock, Duration cooldown,
      Duration failureBackoff) {
    this.what = what;
    this.value = initial;
    this.loader = loader;
    this.executor = executor;
    this.clock = clock;
    this.cooldownMillis = cooldown.toMillis();
    this.failureBackoffMillis = failureBackoff.toMillis();
  }

  /** Who to tell when a rate-limited fetch is skipped because of the cooldown (a listener's event). */
  void onRateLimited(Runnable r) {
    this.onRateLimited = r;
  }

  T value() {
    return value;
  }

  /**
   * Starts a fetch unless one is in flight (then joins it), the last one failed within the failure
   * backoff, or, for a {@code rateLimited} fetch, another rate-limited fetch started within the
   * cooldown. Returns {@code null} when no fetch runs: the caller decides with the value it has.
   * Initial loads and background refreshes are not rate-limited, so they never delay a refetch
   * for a newly rotated key.
   */
  CompletableFuture<T> refresh(boolean rateLimited) {
    return refresh(rateLimited, false);
  }

  /**
   * As {@link #refresh(boolean)}; with {@code inCaller} a fetch this call starts runs in the calling
   * thread, which is about to wait for it anyway (a first token, an unknown key): no hand-off to the
   * executor, no pool thread to start. Concurrent callers still join it. Background refreshes must
   * not pass {@code inCaller}: they never make a request wait.
   */
  CompletableFuture<T> refresh(boolean rateLimited, boolean inCaller) {
    while (true) {
      Attempt<T> last = attempt.get();
      if (last != null && !last.future().isDone()) {
        return last.future();
      }
      long now = clock.millis();
      if (last != null && last.failed() && now - last.startedAtMillis() < failureBackoffMillis) {
        return null;
      }
      if (rateLimited && now - lastRateLimitedStart < cooldownMillis) {
        if (attempt.get() != last) {
          continue; // the fetch that started the cooldown began after we looked: join it, do not skip it
        }
        Runnable told = onRateLimited;
        if (told != null) {
          told.run();
        }
        return null;
      }
      Attempt<T> mine = new Attempt<>(now, new CompletableFuture<>());
      if (attempt.compareAndSet(last, mine)) {
        if (rateLimited) {
          lastRateLimitedStart = now;
        }
        Runnable task = task(mine, last != null && last.failed());
        if (inCaller) {
          task.run();
        } else {
          start(mine, task);
        }
        return mine.future();
      }
    }
  }

  /** True while the latest fetch failed: an unknown key cannot be ruled out, only not found. */
  boolean failing() {
    Attempt<T> last = attempt.get();
    return last != null && last.failed();
  }

  /** Why the latest fetch failed, or null if it did not. */
  Throwable lastError() {
    return failing() ? lastError : null;
  }

  /** How long until the next fetch may start, at least one second. */
  Duration retryAfter() {
    Attempt<T> last = attempt.get();
    long wait = last == null ? 0 : last.startedAtMillis() + failureBackoffMillis - clock.millis();
    return Duration.ofSeconds(Math.max(1, (wait + 999) / 1000));
  }

  /** A failure description fit for an {@code error_description}: our own words, else only the exception's type. */
  static String describe(Throwable e) {
    if (e instanceof IssuerHttp.FetchFailure || e instanceof TokenValidationException) {
      return e.getMessage();
    }
    return e == null ? "unknown failure" : e.getClass().getSimpleName();
  }

  /** Waits for a fetch started by {@link #refresh(boolean)}; false if it failed or took longer than {@code timeout}. */
  static boolean await(CompletableFuture<?> future, Duration timeout) {
    try {
      future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  private Runnable task(Attempt<T> mine, boolean wasFailing) {
    return () -> {
      try {
        T loaded = loader.load(value);
        value = loaded;
        if (wasFailing) {
          log.info("{}: fetched again after an outage", what);
        }
        mine.future().complete(loaded);
      } catch (Throwable e) {
        if (closing()) {
          log.debug("{}: fetch cut short because the validator is closing: {}", what, e.toString());
        } else if (wasFailing) {
          log.debug("{}: still failing: {}", what, e.toString());
        } else {
          log.warn("{}: fetch failed, keeping what is cached and retrying in {} ms at the earliest: {}",
              what, failureBackoffMillis, e.toString());
        }
        lastError = e;
        mine.future().completeExceptionally(e);
      }
    };
  }

  /** True once the validator's close() has shut the fetch executor down: a fetch it cut short is no outage. */
  private boolean closing() {
    return executor instanceof java.util.concurrent.ExecutorService service && service.isShutdown();
  }

  private void start(Attempt<T> mine, Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      lastError = e;
      mine.future().completeExceptionally(e);
    }
  }
}
