package dev.tokenward.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.ConfigurationException;
import dev.tokenward.core.Reason;
import dev.tokenward.core.TokenRequest;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.core.TokenwardConfig;
import dev.tokenward.core.VerifiedToken;
import dev.tokenward.test.DpopKey;
import dev.tokenward.test.IssuerEndpoint;
import dev.tokenward.test.TestIssuer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** tokenward-redis against a real redis-server (started by {@link LocalRedis}), never a mock. */
class RedisSharedStateTest {
  private static final String URL = "https://api.example.test/api/private";
  @RegisterExtension
  static final RedisFixture fixture = RedisFixture.server();
  private final LocalRedis redis = fixture.redis();
  private final TestIssuer issuer = fixture.issuer();

  private RedisSharedState state() {
    return fixture.state(Duration.ofSeconds(2));
  }

  /** A replica: a validator of the test issuer's tokens sharing state on the test's Redis. */
  private AccessTokenValidator replica() {
    return fixture.closeAfter(issuer.validatorBuilder()
        .sharedState(RedisSharedState.builder().uri(redis.uri()).commandTimeout(Duration.ofSeconds(2)).build())
        .opaqueTokens(dev.tokenward.core.OpaqueTokenPolicy.USERINFO).build());
  }

  private static TokenRequest dpopRequest(String token, String proof) {
    return TokenRequest.builder("GET", URL).authorization("DPoP " + token).dpopProof(proof).build();
  }

  private static Reason refusal(Callable<?> call) throws Exception {
    try {
      call.call();
    } catch (TokenValidationException e) {
      return e.reason();
    }
    return null;
  }

  @Test
  void firstUseWhenAnotherReplicaRecordedTheKeyThenReplay() throws Exception {
    Instant until = Instant.now().plusSeconds(300);
    assertThat(state().dpopReplayStore().firstUse("k1", until)).isTrue();
    assertThat(state().dpopReplayStore().firstUse("k1", until)).isFalse();
    assertThat(state().dpopReplayStore().firstUse("k2", until)).isTrue();
  }

  @Test
  void firstUseWhenManyThreadsOfTwoReplicasRaceThenExactlyOneWins() throws Exception {
    RedisSharedState a = state();
    RedisSharedState b = state();
    Instant until = Instant.now().plusSeconds(300);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 20; round++) {
        String key = "race-" + round;
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          RedisSharedState s = i % 2 == 0 ? a : b;
          results.add(pool.submit(() -> s.dpopReplayStore().firstUse(key, until)));
        }
        int winners = 0;
        for (Future<Boolean> f : results) {
          winners += f.get() ? 1 : 0;
        }
        assertThat(winners).as("round %d", round).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void firstUseThenTheRecordLivesForTheProofWindowOnly() throws Exception {
    state().dpopReplayStore().firstUse("window", Instant.now().plusSeconds(300));
    long pttl = Long.parseLong((String) redis.command("PTTL", "tokenward:dpop:window"));
    assertThat(pttl).isBetween(290_000L, 300_000L);
  }

  @Test
  void onlineCacheWhenPutThenAnotherReplicaGetsItUntilItsTtl() throws Exception {
    state().onlineCache().put("answer", "{\"a\":1}", Duration.ofMillis(300));
    assertThat(state().onlineCache().get("answer")).contains("{\"a\":1}");
    long pttl = Long.parseLong((String) redis.command("PTTL", "tokenward:online:answer"));
    assertThat(pttl).isBetween(1L, 300L);
    assertThat(state().onlineCache().get("absent")).isEmpty();
  }

  @Test
  void validateWhenTwoReplicasShareRedisThenAProofUsedAtOneIsAReplayAtTheOther() throws Exception {
    AccessTokenValidator a = replica();
    AccessTokenValidator b = replica();
    DpopKey client = DpopKey.es256();
    String token = issuer.jwt().boundTo(client).sign();
    String proof = proof(client, token);

    assertThat(a.validate(dpopRequest(token, proof)).subject()).isNotNull();
    assertThat(refusal(() -> b.validate(dpopRequest(token, proof)))).isEqualTo(Reason.DPOP_PROOF_REPLAY);
    assertThat(refusal(() -> a.validate(dpopRequest(token, proof)))).isEqualTo(Reason.DPOP_PROOF_REPLAY);
    assertThat(b.validate(dpopRequest(token, proof(client, token))).subject()).isNotNull();
  }

  @Test
  void validateWhenSharingThenRedisHoldsNoJtiAndNoToken() throws Exception {
    AccessTokenValidator a = replica();
    DpopKey client = DpopKey.es256();
    String token = issuer.jwt().boundTo(client).sign();
    String jti = "jti-that-must-not-appear-" + System.nanoTime();
    a.validate(dpopRequest(token, client.proof().method("GET").url(URL).accessToken(token).jti(jti).sign()));
    String opaque = issuer.opaqueToken(TestIssuer.DEMO_CLIENT, "read:messages");
    a.validate(opaque);

    List<String> keys = redis.keys();
    assertThat(keys).hasSize(2).allSatisfy(k -> assertThat(k).matches("tokenward:(dpop|online):[A-Za-z0-9_-]{43}")
        .doesNotContain(jti).doesNotContain(opaque).doesNotContain(token.substring(0, 20)));
    for (String k : keys) {
      if (k.startsWith("tokenward:online:")) {
        assertThat((String) redis.command("GET", k)).doesNotContain(opaque).contains("\"until\"");
      }
    }
  }

  @Test
  void validateWhenReplicasShareRedisThenOneUserinfoCallForAnOpaqueToken() throws Exception {
    List<AccessTokenValidator> replicas = List.of(replica(), replica(), replica());
    String opaque = issuer.opaqueToken(TestIssuer.DEMO_CLIENT, "read:messages");
    for (int round = 0; round < 3; round++) {
      for (AccessTokenValidator r : replicas) {
        VerifiedToken t = r.validate(opaque);
        assertThat(t.scopes()).contains("read:messages");
      }
    }
    assertThat(issuer.requestCount(IssuerEndpoint.USERINFO)).isEqualTo(1);
  }

  @Test
  void validateWhenRedisStopsThenDpopIs503BearerAndOpaqueWorkAndAllRecoverWithoutRestart() throws Exception {
    AccessTokenValidator a = replica();
    DpopKey client = DpopKey.es256();
    String bound = issuer.jwt().boundTo(client).sign();
    String bearer = issuer.accessToken(TestIssuer.DEMO_CLIENT, issuer.audience(), "read:messages");
    String opaque = issuer.opaqueToken(TestIssuer.DEMO_CLIENT, "read:messages");
    a.validate(dpopRequest(bound, proof(client, bound))); // connected

    redis.stop();
    try {
      TokenValidationException down = org.assertj.core.api.Assertions.catchThrowableOfType(TokenValidationException.class,
          () -> a.validate(dpopRequest(bound, proof(client, bound))));
      assertThat(down.reason()).isEqualTo(Reason.REPLAY_STORE_UNAVAILABLE);
      assertThat(down.reason().httpStatus()).isEqualTo(503);
      assertThat(down.reason().errorCode()).isEqualTo("temporarily_unavailable");
      assertThat(down.retryAfter()).isPresent();
      assertThat(a.validate(TokenRequest.builder("GET", URL).authorization("Bearer " + bearer).build()).subject())
          .isNotNull();
      assertThat(a.validate(opaque).scopes()).contains("read:messages"); // the issuer answers instead
      assertThat(issuer.requestCount(IssuerEndpoint.USERINFO)).isEqualTo(1);
    } finally {
      redis.restart();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Reason last;
    do {
      Thread.sleep(100);
      last = refusal(() -> a.validate(dpopRequest(bound, proof(client, bound))));
    } while (last == Reason.REPLAY_STORE_UNAVAILABLE && System.nanoTime() < deadline);
    assertThat(last).as("DPoP after Redis came back").isNull();
  }

  @Test
  void validateWhenRedisIsDownAtStartThenTheValidatorStartsAndServesOnceRedisIsUp() throws Exception {
    redis.stop();
    AccessTokenValidator a;
    DpopKey client = DpopKey.es256();
    String bound = issuer.jwt().boundTo(client).sign();
    try {
      a = replica();
      assertThat(refusal(() -> a.validate(dpopRequest(bound, proof(client, bound)))))
          .isEqualTo(Reason.REPLAY_STORE_UNAVAILABLE);
    } finally {
      redis.restart();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Reason last;
    do {
      Thread.sleep(100);
      last = refusal(() -> a.validate(dpopRequest(bound, proof(client, bound))));
    } while (last == Reason.REPLAY_STORE_UNAVAILABLE && System.nanoTime() < deadline);
    assertThat(last).isNull();
  }

  @Test
  void closeWhenTheValidatorIsClosedThenNoLettuceThreadIsLeft() throws Exception {
    RedisSharedState state = RedisSharedState.builder().uri(redis.uri()).build();
    AccessTokenValidator v = issuer.validatorBuilder().sharedState(state).build();
    state.dpopReplayStore().firstUse("threads", Instant.now().plusSeconds(10));
    String prefix = state.threadNamePrefix();
    assertThat(threadsNamed(prefix)).isNotEmpty();

    v.close();

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!threadsNamed(prefix).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(threadsNamed(prefix)).isEmpty();
    assertThat(Long.parseLong(clientCount())).as("connections Redis still sees").isZero();
    assertThatThrownBy(() -> state.dpopReplayStore().firstUse("after", Instant.now().plusSeconds(10)))
        .isInstanceOf(IOException.class);
  }

  private String clientCount() throws IOException {
    // connected_clients counts the probe itself: subtract it
    for (String line : ((String) redis.command("INFO", "clients")).split("\r\n")) {
      if (line.startsWith("connected_clients:")) {
        return String.valueOf(Long.parseLong(line.substring(18).trim()) - 1);
      }
    }
    throw new IOException("no connected_clients");
  }

  private static List<String> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith(prefix)).toList();
  }

  @Test
  void configWhenTokenwardRedisUriIsSetThenTheValidatorSharesStateOnThatRedis() throws Exception {
    TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", issuer.issuer(),
        "TOKENWARD_AUDIENCE", issuer.audience(), "TOKENWARD_REDIS_URI", redis.uri()));
    DpopKey client = DpopKey.es256();
    String token = issuer.jwt().boundTo(client).sign();
    String proof = proof(client, token);
    try (AccessTokenValidator a = config.validator(); AccessTokenValidator b = config.validator()) {
      a.validate(dpopRequest(token, proof));
      assertThat(refusal(() -> b.validate(dpopRequest(token, proof)))).isEqualTo(Reason.DPOP_PROOF_REPLAY);
    }
    assertThat(redis.keys()).singleElement().satisfies(k -> assertThat(k).startsWith("tokenward:dpop:"));
  }

  @Test
  void configWhenTokenwardRedisUriIsNotARedisUriThenStartFailsWithoutShowingIt() {
    TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", issuer.issuer(),
        "TOKENWARD_AUDIENCE", issuer.audience(), "TOKENWARD_REDIS_URI", "redis://:hunter2@/0"));
    assertThatThrownBy(config::validator).isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("TOKENWARD_REDIS_URI: ").hasMessageNotContaining("hunter2");
  }

  @Test
  void builderWhenTimeoutsAreOutOfRangeThenFailsNamingTheSetting() {
    assertThatThrownBy(() -> RedisSharedState.builder().commandTimeout(Duration.ofMinutes(5)))
        .hasMessageStartingWith("commandTimeout: ");
    assertThatThrownBy(() -> RedisSharedState.builder().connectTimeout(Duration.ZERO))
        .hasMessageStartingWith("connectTimeout: ");
    assertThatThrownBy(() -> RedisSharedState.builder().build()).hasMessageStartingWith("uri: ");
    assertThat(RedisSharedState.builder().uri("redis://:hunter2@127.0.0.1:6390/2").build())
        .satisfies(s -> {
          assertThat(s.toString()).contains("127.0.0.1:6390/2").doesNotContain("hunter2");
          s.close();
        });
  }

  /** A fresh proof (new jti, iat now) of {@code client} for GET on the tested URL, carrying {@code token}'s hash. */
  private static String proof(DpopKey client, String token) {
    return client.proof().method("GET").url(URL).accessToken(token).sign();
  }
}
