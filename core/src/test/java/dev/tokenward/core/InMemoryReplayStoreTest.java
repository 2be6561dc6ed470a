package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryReplayStoreTest {
  private final ValidatorTestSupport.MutableClock clock = new ValidatorTestSupport.MutableClock();

  private Instant in(long seconds) {
    return clock.instant().plusSeconds(seconds);
  }

  @Test
  void storeWhenNoProofYetThenHoldsNoCacheAndTheFirstProofMakesIt() throws Exception {
    InMemoryReplayStore store = new InMemoryReplayStore(100, clock);
    assertThat(store.started()).isFalse(); // most services never see a DPoP proof: no cache at build
    assertThat(store.firstUse("a", in(300))).isTrue();
    assertThat(store.started()).isTrue();
    assertThat(store.firstUse("a", in(300))).isFalse();
  }

  @Test
  void firstUseWhenKeyIsNewThenTrueAndWhenSeenThenFalse() throws Exception {
    InMemoryReplayStore store = new InMemoryReplayStore(100, clock);
    assertThat(store.firstUse("a", in(300))).isTrue();
    assertThat(store.firstUse("a", in(300))).isFalse();
    assertThat(store.firstUse("b", in(300))).isTrue();
  }

  @Test
  void firstUseWhenTheRecordExpiredThenTrueAgain() throws Exception {
    InMemoryReplayStore store = new InMemoryReplayStore(100, clock);
    store.firstUse("a", in(300));
    clock.advanceSeconds(299);
    assertThat(store.firstUse("a", in(300))).isFalse();
    clock.advanceSeconds(2);
    assertThat(store.firstUse("a", in(300))).isTrue();
  }

  // A flood of unique jtis (every one a fresh, valid proof) must not grow memory without bound, and
  // must not push out a record that could then be replayed: once full, new proofs are refused.
  @Test
  void firstUseWhenFloodedWithUniqueKeysThenMemoryStaysBoundedAndNoRecordIsForgotten() throws Exception {
    InMemoryReplayStore store = new InMemoryReplayStore(1_000, clock);
    int refused = 0;
    for (int i = 0; i < 20_000; i++) {
      try {
        assertThat(store.firstUse("flood-" + i, in(300))).isTrue();
      } catch (IOException e) {
        refused++;
      }
    }
    assertThat(store.size()).isEqualTo(1_000);
    assertThat(refused).isEqualTo(19_000);
    for (int i = 0; i < 1_000; i++) {
      assertThat(store.firstUse("flood-" + i, in(300))).as("record %d kept", i).isFalse();
    }
    clock.advanceSeconds(301);
    assertThat(store.firstUse("after-the-window", in(300))).isTrue();
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void firstUseWhenFloodedFromManyThreadsThenTheBoundHolds() throws Exception {
    InMemoryReplayStore store = new InMemoryReplayStore(5_000, clock);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicInteger accepted = new AtomicInteger();
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        all.add(pool.submit(() -> {
          for (int i = 0; i < 10_000; i++) {
            try {
              if (store.firstUse(thread + "-" + i, in(300))) {
                accepted.incrementAndGet();
              }
            } catch (IOException full) {
              // refused: the store is at its bound
            }
          }
          return null;
        }));
      }
      for (Future<?> f : all) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.size()).isLessThanOrEqualTo(5_000 + 5_000 / 8 + 64).isEqualTo(accepted.get());
  }

  @Test
  void firstUseWhenTheSameKeyRacesThenExactlyOneWins() throws Exception {
    InMemoryReplayStore store = new InMemoryReplayStore(100, clock);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger firsts = new AtomicInteger();
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        all.add(pool.submit(() -> {
          start.await();
          if (store.firstUse("same", in(300))) {
            firsts.incrementAndGet();
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : all) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(firsts.get()).isEqualTo(1);
  }

  @Test
  void inMemoryWhenSizeIsNotPositiveThenFails() {
    assertThatThrownBy(() -> DpopReplayStore.inMemory(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("dpopReplayStore:");
  }
}
