package dev.tokenward.samples.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The system clock shifted by an adjustable offset: lets the test issuer mint expired or future tokens. */
public final class MutableClock extends Clock {
  private volatile Duration offset = Duration.ZERO;

  /** Runs {@code action} with the clock shifted by {@code shift}, then puts it back. */
  public <T> T shifted(Duration shift, java.util.function.Supplier<T> action) {
    Duration before = offset;
    offset = shift;
    try {
      return action.get();
    } finally {
      offset = before;
    }
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }
}
