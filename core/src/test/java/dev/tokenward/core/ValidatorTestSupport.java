package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.AbstractThrowableAssert;

/** Helpers shared by the core tests. */
final class ValidatorTestSupport {
  private ValidatorTestSupport() {}

  /** Asserts the call fails with exactly this reason, and returns the assertion for more checks. */
  static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Call call, Reason reason) {
    return assertThatThrownBy(call::run)
        .isInstanceOf(TokenValidationException.class)
        .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((TokenValidationException) e).reason())
            .as("reason of: " + e.getMessage()).isEqualTo(reason));
  }

  interface Call {
    void run() throws Exception;
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private final AtomicLong millis;

    MutableClock(Instant start) {
      this.millis = new AtomicLong(start.toEpochMilli());
    }

    MutableClock() {
      this(Instant.now());
    }

    void advanceSeconds(long s) {
      millis.addAndGet(s * 1000);
    }

    void advanceMillis(long ms) {
      millis.addAndGet(ms);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }
}
