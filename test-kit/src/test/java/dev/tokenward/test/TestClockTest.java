package dev.tokenward.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TestClockTest {

    @Test
    void atWhenAdvancedThenMovesOnlyByThat() {
        TestClock clock = TestClock.at(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));

        clock.advance(Duration.ofHours(25));

        assertThat(clock.instant()).isEqualTo(Instant.parse("2030-01-02T01:00:00Z"));
        assertThat(clock.millis()).isEqualTo(Instant.parse("2030-01-02T01:00:00Z").toEpochMilli());
    }

    @Test
    void shiftedWhenDoneThenMovedBack() {
        TestClock clock = TestClock.at(Instant.parse("2030-01-01T00:00:00Z"));

        Instant inside = clock.shifted(Duration.ofMinutes(-5), clock::instant);

        assertThat(inside).isEqualTo(Instant.parse("2029-12-31T23:55:00Z"));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    }

    @Test
    void systemWhenShiftedAnHourThenAnHourAheadOfTheSystemClock() {
        TestClock clock = TestClock.system();
        clock.advance(Duration.ofHours(1));

        Instant before = Instant.now().plus(Duration.ofHours(1));
        Instant shifted = clock.instant();
        Instant after = Instant.now().plus(Duration.ofHours(1));

        assertThat(shifted).isBetween(before, after);
    }
}
