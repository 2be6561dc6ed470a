package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LazyTest {

  @Test
  void getWhenCalledFirstThenMakesTheValueOnceAndKeepsIt() {
    AtomicInteger made = new AtomicInteger();
    Lazy<Object> lazy = new Lazy<>(() -> {
      made.incrementAndGet();
      return new Object();
    });
    assertThat(lazy.made()).isFalse();
    assertThat(made).hasValue(0);
    Object first = lazy.get();
    assertThat(lazy.get()).isSameAs(first);
    assertThat(lazy.made()).isTrue();
    assertThat(made).hasValue(1);
  }

  @Test
  void getWhenManyThreadsRaceThenEveryoneGetsTheOneValueMadeOnce() throws Exception {
    AtomicInteger made = new AtomicInteger();
    Lazy<Object> lazy = new Lazy<>(() -> {
      made.incrementAndGet();
      return new Object();
    });
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Object>> got = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        got.add(pool.submit(() -> {
          start.await();
          return lazy.get();
        }));
      }
      start.countDown();
      Object first = got.get(0).get(10, TimeUnit.SECONDS);
      for (Future<Object> f : got) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isSameAs(first);
      }
      assertThat(made).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @Timeout(10)
  void getWhenThreadsArriveWhileTheValueIsBeingMadeThenTheyWaitForThatValue() throws Exception {
    AtomicInteger made = new AtomicInteger();
    CountDownLatch making = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Lazy<Object> lazy = new Lazy<>(() -> {
      made.incrementAndGet();
      making.countDown();
      try {
        release.await(); // held inside the maker until every other thread has arrived
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new Object();
    });
    List<Object> got = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread maker = daemon(() -> got.add(lazy.get()));
    List<Thread> late = new ArrayList<>();
    try {
      making.await();
      for (int i = 0; i < 4; i++) {
        late.add(daemon(() -> got.add(lazy.get())));
      }
      // every late thread must be blocked on the lock, not making a value of its own (a lock-free check-then-set
      // would have them wait on the latch inside the maker instead, and this loop would run into the timeout)
      while (late.stream().anyMatch(t -> t.getState() != Thread.State.BLOCKED)) {
        if (Thread.interrupted()) { // the timeout's interrupt
          throw new InterruptedException("the late threads never blocked on the lock");
        }
        Thread.onSpinWait();
      }
    } finally {
      release.countDown(); // also when the timeout interrupts the wait: no thread is left behind
    }
    maker.join();
    for (Thread t : late) {
      t.join();
    }
    assertThat(made).hasValue(1);
    assertThat(got).hasSize(5);
    assertThat(got).allSatisfy(v -> assertThat(v).isSameAs(got.get(0)));
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "lazy-test");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Test
  void getWhenTheMakerFailsThenTheNextCallTriesAgain() {
    AtomicInteger calls = new AtomicInteger();
    Lazy<String> lazy = new Lazy<>(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("first try fails");
      }
      return "made";
    });
    assertThatThrownBy(lazy::get).isInstanceOf(IllegalStateException.class).hasMessage("first try fails");
    assertThat(lazy.made()).isFalse();
    assertThat(lazy.get()).isEqualTo("made");
  }

  @Test
  void getWhenTheMakerReturnsNullThenRefuses() {
    Lazy<String> lazy = new Lazy<>(() -> null);
    assertThatThrownBy(lazy::get).isInstanceOf(NullPointerException.class).hasMessage("made null");
  }
}
