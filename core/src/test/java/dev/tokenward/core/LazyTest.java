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
