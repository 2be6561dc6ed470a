package dev.tokenward.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

/** Waiting for Redis to reach a state (a replica in sync, a failover done), shared by the replication tests. */
final class Poll {
  private Poll() {
  }

  /** A condition that may ask Redis, and may throw while Redis is switching over. */
  interface Check {
    boolean holds() throws Exception;
  }

  /** Polls {@code check} until it holds, for at most 30 s (a bound on the wait, not an assertion on time). */
  static void awaitTrue(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!check.holds()) {
      assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
