package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenCacheTest {
  private final VerifiedToken token = new VerifiedToken(TokenKind.JWT, "https://i/", Map.of("sub", "u"), Map.of(),
      Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, null);
  private final TokenCache.Entry entry =
      new TokenCache.Entry(token, null, new ClaimChecks.Times(Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE));

  // With Caffeine's default executor each insert into a full cache handed its maintenance to the common
  // ForkJoinPool (a thread wake-up per new token) and the cache could stand above its bound until that ran.
  // Maintenance now runs in the inserting thread: the bound holds after every single put.
  @Test
  void putWhenFullThenEvictsInTheCallingThreadBeforeReturning() {
    TokenCache cache = new TokenCache(100, Duration.ofMinutes(5), System::nanoTime);
    for (int i = 0; i < 5_000; i++) {
      cache.put(TokenHash.of(("token-" + i).getBytes(StandardCharsets.US_ASCII)), entry);
      assertThat(cache.estimatedSize()).as("size after put %d", i).isLessThanOrEqualTo(100);
    }
  }

  @Test
  void getWhenPutThenFoundByAnEqualHashAndGoneAfterInvalidate() {
    TokenCache cache = new TokenCache(100, Duration.ofMinutes(5), System::nanoTime);
    byte[] raw = "a.b.c".getBytes(StandardCharsets.US_ASCII);
    cache.put(TokenHash.of(raw), entry);
    assertThat(cache.get(TokenHash.of(raw.clone()))).isSameAs(entry);
    assertThat(cache.get(TokenHash.of("a.b.d".getBytes(StandardCharsets.US_ASCII)))).isNull();
    cache.invalidate(TokenHash.of(raw));
    assertThat(cache.get(TokenHash.of(raw))).isNull();
  }

  @Test
  void ofWhenStringOrItsBytesThenSameHash() {
    assertThat(TokenHash.of("eyJ.abc.def")).isEqualTo(TokenHash.of(ParsedJws.bytesOf("eyJ.abc.def")));
  }

  @Test
  void admitsWhenRoomThenAlwaysAndWhenFullThenFromTheSecondSighting() {
    TokenCache cache = new TokenCache(4, Duration.ofMinutes(5), System::nanoTime);
    TokenHash first = TokenHash.of("first".getBytes(StandardCharsets.US_ASCII));
    assertThat(cache.admits(first)).as("room").isTrue();
    for (int i = 0; i < 4; i++) {
      cache.put(TokenHash.of(("token-" + i).getBytes(StandardCharsets.US_ASCII)), entry);
    }
    TokenHash late = TokenHash.of("late".getBytes(StandardCharsets.US_ASCII));

    assertThat(cache.admits(late)).as("full, first sighting").isFalse();
    assertThat(cache.admits(late)).as("full, second sighting").isTrue();
    assertThat(cache.admits(TokenHash.of("other".getBytes(StandardCharsets.US_ASCII)))).as("another, first").isFalse();
  }
}
