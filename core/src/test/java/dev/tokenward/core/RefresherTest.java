package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a fetch that fails says in the log (slf4j-simple writes to System.err, captured here). */
class RefresherTest {

  private static String stderrOf(ThrowingRunnable body) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** A loader that waits until interrupted (as close() interrupts a fetch in flight), then fails as a socket would. */
  private static Refresher<String> interruptible(ExecutorService executor, CountDownLatch started) {
    return new Refresher<>("JWKS of https://issuer.example/", null, previous -> {
      started.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        throw new IOException("Socket closed");
      }
      return "never";
    }, executor, Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofSeconds(5));
  }

  @Test
  void fetchWhenTheValidatorClosesItThenNoFetchFailedWarning() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    CountDownLatch started = new CountDownLatch(1);
    Refresher<String> refresher = interruptible(executor, started);

    String log = stderrOf(() -> {
      CompletableFuture<String> fetch = refresher.refresh(false);
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      executor.shutdownNow(); // what IssuerState.close() does
      assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      assertThat(fetch).isCompletedExceptionally();
    });

    // Before the fix: "WARN Refresher - JWKS of https://issuer.example/: fetch failed, keeping what is cached ..."
    assertThat(log).doesNotContain("fetch failed").doesNotContain("WARN");
  }

  @Test
  void fetchWhenItFailsWhileOpenThenOneFetchFailedWarning() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Refresher<String> refresher = new Refresher<>("JWKS of https://issuer.example/", null, previous -> {
        throw new IOException("connection refused");
      }, executor, Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofSeconds(5));

      String log = stderrOf(() -> {
        CompletableFuture<String> fetch = refresher.refresh(false);
        assertThat(Refresher.await(fetch, Duration.ofSeconds(10))).isFalse();
      });

      assertThat(log).contains("WARN").contains("JWKS of https://issuer.example/: fetch failed")
          .contains("connection refused");
    } finally {
      executor.shutdownNow();
    }
  }

  /**
   * Found by CI in IssuerFaultsTest.twoHundredConcurrentRequestsForANewKidCauseExactlyOneFetch: a caller that
   * read "no fetch in flight" just before another caller started the rate-limited fetch saw that fetch's
   * cooldown and gave up instead of joining it, so its token (signed with the newly rotated key) was refused
   * UNKNOWN_KEY, a 401 for a valid token. The clock call between the two reads lets this test hold the
   * caller exactly there. Before the fix the late caller got null (no fetch to wait for).
   */
  @Test
  void refreshWhenAnotherCallerStartsTheRateLimitedFetchMeanwhileThenJoinsItInsteadOfGivingUp() throws Exception {
    CountDownLatch fetchStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread[] late = new Thread[1];
    Clock heldForTheLateCaller = new Clock() {
      @Override
      public long millis() {
        if (Thread.currentThread() == late[0]) {
          try {
            fetchStarted.await(10, TimeUnit.SECONDS); // the other caller has now started its fetch
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return 1_000_000L;
      }

      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public java.time.Instant instant() {
        return java.time.Instant.ofEpochMilli(millis());
      }
    };
    ExecutorService unused = Executors.newSingleThreadExecutor();
    try {
      Refresher<String> refresher = new Refresher<>("JWKS of https://issuer.example/", "old", previous -> {
        fetchStarted.countDown();
        release.await(10, TimeUnit.SECONDS);
        return "new";
      }, unused, heldForTheLateCaller, Duration.ofSeconds(30), Duration.ofSeconds(5));

      CompletableFuture<CompletableFuture<String>> lateCall = new CompletableFuture<>();
      late[0] = new Thread(() -> lateCall.complete(refresher.refresh(true, true)));
      late[0].start(); // reads "no attempt in flight", then waits in the clock
      Thread first = new Thread(() -> refresher.refresh(true, true)); // starts the fetch, runs it in its thread
      first.start();

      assertThat(fetchStarted.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<String> joined = lateCall.get(10, TimeUnit.SECONDS);
      release.countDown();
      assertThat(joined).as("the late caller joins the fetch in flight").isNotNull();
      assertThat(joined.get(10, TimeUnit.SECONDS)).isEqualTo("new");
      first.join(10_000);
    } finally {
      release.countDown();
      unused.shutdownNow();
    }
  }
}
