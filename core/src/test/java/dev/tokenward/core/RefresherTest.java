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
}
