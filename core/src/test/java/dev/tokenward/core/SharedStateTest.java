package dev.tokenward.core;

import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.ValidatorTestSupport.MutableClock;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared-state SPI as the validator uses it: answers shared through a {@link SharedOnlineCache}
 * (here a map that expires by the test's clock; tokenward-redis tests the real one against a real
 * Redis), a {@link SharedState} owned and closed by the validator, and the fail-closed lookup of a
 * {@link SharedStateProvider} for {@code TOKENWARD_REDIS_URI}.
 */
class SharedStateTest {
  private static final String OPAQUE = "q9Wk2mPx7RtY4wZ8vB3nL6jD1fG5sA0cHh";
  private final FakeIssuer issuer = new FakeIssuer();
  private final MutableClock clock = new MutableClock();

  @AfterEach
  void stop() throws Exception {
    issuer.close();
  }

  /** A shared cache in a map, expiring by the test's clock, recording each TTL asked for. */
  static final class MapCache implements SharedOnlineCache {
    final Map<String, String> values = new ConcurrentHashMap<>();
    final Map<String, Long> until = new ConcurrentHashMap<>();
    final Map<String, Duration> ttls = new ConcurrentHashMap<>();
    private final Clock clock;
    volatile boolean down;

    MapCache(Clock clock) {
      this.clock = clock;
    }

    @Override
    public Optional<String> get(String key) throws IOException {
      if (down) {
        throw new IOException("connection refused");
      }
      Long end = until.get(key);
      return end == null || end <= clock.millis() ? Optional.empty() : Optional.ofNullable(values.get(key));
    }

    @Override
    public void put(String key, String answer, Duration ttl) throws IOException {
      if (down) {
        throw new IOException("connection refused");
      }
      values.put(key, answer);
      until.put(key, clock.millis() + ttl.toMillis());
      ttls.put(key, ttl);
    }
  }

  private AccessTokenValidator validator(OpaqueTokenPolicy policy, SharedOnlineCache shared, String audience) {
    AccessTokenValidator.Builder b = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(audience)
        .opaqueTokens(policy).clock(clock).sharedOnlineCache(shared);
    if (policy == OpaqueTokenPolicy.INTROSPECT) {
      b.introspection(null, "api-client", "secret");
    }
    return b.build();
  }

  @Test
  void validateWhenReplicasShareTheOnlineCacheThenOneUserinfoCallForAll() throws Exception {
    issuer.opaque(OPAQUE, Map.of("sub", "auth0|u1", "scope", "read:messages"));
    MapCache shared = new MapCache(clock);
    try (AccessTokenValidator a = validator(OpaqueTokenPolicy.USERINFO, shared, FakeIssuer.AUDIENCE);
        AccessTokenValidator b = validator(OpaqueTokenPolicy.USERINFO, shared, FakeIssuer.AUDIENCE);
        AccessTokenValidator c = validator(OpaqueTokenPolicy.USERINFO, shared, FakeIssuer.AUDIENCE)) {
      assertThat(a.validate(OPAQUE).subject()).isEqualTo("auth0|u1");
      VerifiedToken fromShared = b.validate(OPAQUE);
      c.validate(OPAQUE);

      assertThat(issuer.hits("/userinfo")).isEqualTo(1);
      assertThat(fromShared.kind()).isEqualTo(TokenKind.OPAQUE);
      assertThat(fromShared.scopes()).containsExactly("read:messages");
    }
  }

  @Test
  void validateWhenSharingThenKeysAndValuesNeverHoldTheToken() throws Exception {
    issuer.opaque(OPAQUE, Map.of("sub", "u"));
    MapCache shared = new MapCache(clock);
    try (AccessTokenValidator a = validator(OpaqueTokenPolicy.USERINFO, shared, FakeIssuer.AUDIENCE)) {
      a.validate(OPAQUE);
    }
    assertThat(shared.values).hasSize(1);
    shared.values.forEach((k, v) -> {
      assertThat(k).matches("[A-Za-z0-9_-]{43}").doesNotContain(OPAQUE);
      assertThat(v).doesNotContain(OPAQUE);
    });
  }

  @Test
  void validateWhenSharedAnswerEndsThenALocalCopyEndsWithIt() throws Exception {
    issuer.opaque(OPAQUE, Map.of("sub", "u"));
    MapCache shared = new MapCache(clock);
    try (AccessTokenValidator a = validator(OpaqueTokenPolicy.USERINFO, shared, FakeIssuer.AUDIENCE);
        AccessTokenValidator b = validator(OpaqueTokenPolicy.USERINFO, shared, FakeIssuer.AUDIENCE)) {
      a.validate(OPAQUE); // stored for the online-cache time, 60 s
      clock.advanceSeconds(50);
      b.validate(OPAQUE); // from the shared cache: b may keep it 10 s more, not 60
      assertThat(issuer.hits("/userinfo")).isEqualTo(1);

      clock.advanceSeconds(11);
      b.validate(OPAQUE);
      assertThat(issuer.hits("/userinfo")).isEqualTo(2);
    }
  }

  @Test
  void validateWhenIntrospectionAnswerExpiresSoonThenSharedNoLongerThanItsExp() throws Exception {
    long exp = clock.millis() / 1000 + 10;
    issuer.opaque(OPAQUE, Map.of("sub", "u", "exp", exp, "aud", FakeIssuer.AUDIENCE));
    MapCache shared = new MapCache(clock);
    try (AccessTokenValidator a = validator(OpaqueTokenPolicy.INTROSPECT, shared, FakeIssuer.AUDIENCE)) {
      a.validate(OPAQUE);
    }
    assertThat(shared.ttls.values()).singleElement()
        .satisfies(ttl -> assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10)));
  }

  @Test
  void validateWhenSharedAnswerFailsThisReplicasChecksThenRefusedAsFromTheIssuer() throws Exception {
    issuer.opaque(OPAQUE, Map.of("sub", "u", "aud", FakeIssuer.AUDIENCE));
    MapCache shared = new MapCache(clock);
    try (AccessTokenValidator a = validator(OpaqueTokenPolicy.INTROSPECT, shared, FakeIssuer.AUDIENCE);
        AccessTokenValidator other = validator(OpaqueTokenPolicy.INTROSPECT, shared, "https://other-api.test")) {
      a.validate(OPAQUE);
      assertRefused(() -> other.validate(OPAQUE), Reason.WRONG_AUDIENCE);
      assertThat(issuer.hits("/oauth/introspect")).isEqualTo(1);
    }
  }

  @Test
  void validateWhenUserinfoAndIntrospectionShareOneCacheThenNeitherAnswersForTheOther() throws Exception {
    issuer.opaque(OPAQUE, Map.of("sub", "u", "aud", FakeIssuer.AUDIENCE));
    MapCache shared = new MapCache(clock);
    try (AccessTokenValidator byUserinfo = validator(OpaqueTokenPolicy.USERINFO, shared, FakeIssuer.AUDIENCE);
        AccessTokenValidator byIntrospection = validator(OpaqueTokenPolicy.INTROSPECT, shared, FakeIssuer.AUDIENCE)) {
      byUserinfo.validate(OPAQUE);
      byIntrospection.validate(OPAQUE);
    }
    assertThat(issuer.hits("/userinfo")).isEqualTo(1);
    assertThat(issuer.hits("/oauth/introspect")).isEqualTo(1);
    assertThat(shared.values).hasSize(2);
  }

  @Test
  void validateWhenSharedCacheFailsThenTheIssuerIsAskedAndTheTokenAccepted() throws Exception {
    issuer.opaque(OPAQUE, Map.of("sub", "u"));
    MapCache shared = new MapCache(clock);
    shared.down = true;
    try (AccessTokenValidator a = validator(OpaqueTokenPolicy.USERINFO, shared, FakeIssuer.AUDIENCE)) {
      assertThat(a.validate(OPAQUE).subject()).isEqualTo("u");
      assertThat(a.validate(OPAQUE).subject()).isEqualTo("u"); // the local cache still answers
    }
    assertThat(issuer.hits("/userinfo")).isEqualTo(1);
  }

  @Test
  void validateWhenSharedValueIsNotTokenwardsThenIgnoredAndTheIssuerAsked() throws Exception {
    issuer.opaque(OPAQUE, Map.of("sub", "u"));
    MapCache shared = new MapCache(clock);
    String key = SharedAnswers.key(issuer.issuer(), OpaqueTokenPolicy.USERINFO, OPAQUE);
    shared.put(key, "[\"not an answer\"]", Duration.ofSeconds(60));
    try (AccessTokenValidator a = validator(OpaqueTokenPolicy.USERINFO, shared, FakeIssuer.AUDIENCE)) {
      assertThat(a.validate(OPAQUE).subject()).isEqualTo("u");
    }
    assertThat(issuer.hits("/userinfo")).isEqualTo(1);
  }

  /** A shared state that records whether it was closed. */
  static final class RecordingState implements SharedState {
    final DpopReplayStore replay = DpopReplayStore.inMemory(100);
    final MapCache cache = new MapCache(Clock.systemUTC());
    volatile int closed;

    @Override
    public DpopReplayStore dpopReplayStore() {
      return replay;
    }

    @Override
    public SharedOnlineCache onlineCache() {
      return cache;
    }

    @Override
    public void close() {
      closed++;
    }
  }

  @Test
  void closeWhenTheValidatorOwnsASharedStateThenItIsClosed() {
    RecordingState state = new RecordingState();
    AccessTokenValidator v = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .sharedState(state).build();
    assertThat(state.closed).isZero();
    v.close();
    assertThat(state.closed).isEqualTo(1);
  }

  @Test
  void buildWhenSharedStateAndAReplayStoreAreBothSetThenFailsNamingBoth() {
    assertThatThrownBy(() -> AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .sharedState(new RecordingState()).dpopReplayStore(DpopReplayStore.inMemory(10)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("sharedState: ")
        .hasMessageContaining("dpopReplayStore");
  }

  @Test
  void buildWhenSharedStateUriHasAProviderThenItIsOpenedByBuildAndClosedWithTheValidator() {
    TestProvider.opened.clear();
    AccessTokenValidator.Builder b = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .sharedState("tokenward-test://shared");
    assertThat(TestProvider.opened).isEmpty();
    AccessTokenValidator v = b.build();
    assertThat(TestProvider.opened).singleElement().satisfies(s -> assertThat(s.closed).isZero());
    v.close();
    assertThat(TestProvider.opened.get(0).closed).isEqualTo(1);
  }

  @Test
  void buildWhenSharedStateUriIsSetAndBuildFailsThenTheOpenedStateIsClosed() {
    TestProvider.opened.clear();
    issuer.answer("/.well-known/openid-configuration", new okhttp3.mockwebserver.MockResponse().setResponseCode(500));
    assertThatThrownBy(() -> AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .sharedState("tokenward-test://shared").warmUp(Duration.ofMillis(500)).warmUpFailFast(true).build())
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("warmUpFailFast");
    assertThat(TestProvider.opened).singleElement().satisfies(s -> assertThat(s.closed).isEqualTo(1));
  }

  @Test
  void configWhenRedisUriIsSetAndTokenwardRedisIsMissingThenStartFailsNamingTheModule() {
    TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", issuer.issuer(),
        "TOKENWARD_AUDIENCE", FakeIssuer.AUDIENCE, "TOKENWARD_REDIS_URI", "redis://:hunter2@127.0.0.1:6379/0"));
    assertThatThrownBy(config::validator).isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("TOKENWARD_REDIS_URI: ").hasMessageContaining("dev.tokenward:tokenward-redis")
        .hasMessageNotContaining("hunter2").hasMessageNotContaining("sharedState");
    assertThat(config.toString()).doesNotContain("hunter2");
  }

  @Test
  void configWhenRedisUriIsNotAUriThenStartFailsWithoutShowingIt() {
    TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", issuer.issuer(),
        "TOKENWARD_AUDIENCE", FakeIssuer.AUDIENCE, "TOKENWARD_REDIS_URI", "hunter2"));
    assertThatThrownBy(config::validator).isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("TOKENWARD_REDIS_URI: ").hasMessageNotContaining("hunter2");
  }

  /** Registered in META-INF/services of the tests for the scheme {@code tokenward-test}. */
  public static final class TestProvider implements SharedStateProvider {
    static final List<RecordingState> opened = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public List<String> schemes() {
      return List.of("tokenward-test");
    }

    @Override
    public String module() {
      return "dev.tokenward:tokenward-core (tests)";
    }

    @Override
    public SharedState open(String uri) {
      RecordingState s = new RecordingState();
      opened.add(s);
      return s;
    }
  }
}
