package dev.tokenward.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A clock a test moves by hand, for the issuer ({@link TestIssuer.Builder#clock}) and the validator
 * under test ({@code AccessTokenValidator.Builder#clock}) alike, so that expiry is tested without
 * waiting. Either fixed at an instant ({@link #at}) or the system clock shifted by an offset
 * ({@link #system}); {@link #advance} moves both kinds. Thread-safe.
 */
public final class TestClock extends Clock {

    private final Instant fixed; // null: follows the system clock
    private volatile Duration offset = Duration.ZERO;

    private TestClock(Instant fixed) {
        this.fixed = fixed;
    }

    /** A clock standing at {@code instant} until moved. */
    public static TestClock at(Instant instant) {
        return new TestClock(Objects.requireNonNull(instant, "instant"));
    }

    /** The system UTC clock, shifted by nothing until moved. */
    public static TestClock system() {
        return new TestClock(null);
    }

    /** Moves the clock forward (or back, with a negative duration). */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        synchronized (this) {
            offset = offset.plus(duration);
        }
    }

    /** Runs {@code action} with the clock shifted by {@code shift} more, then moves it back. */
    public <T> T shifted(Duration shift, Supplier<T> action) {
        advance(shift);
        try {
            return action.get();
        } finally {
            advance(shift.negated());
        }
    }

    /** Always UTC. */
    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Unsupported: a test clock has one zone, UTC. */
    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a TestClock is always UTC");
    }

    /** The start instant (or now) plus every {@link #advance} so far. */
    @Override
    public Instant instant() {
        return (fixed != null ? fixed : Instant.now()).plus(offset);
    }
}
