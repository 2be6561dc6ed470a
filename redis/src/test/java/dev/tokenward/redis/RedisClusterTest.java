package dev.tokenward.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.OpaqueTokenPolicy;
import dev.tokenward.core.Reason;
import dev.tokenward.core.SharedOnlineCache;
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
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code redis-cluster://} against a real Redis Cluster of three masters ({@link LocalRedisCluster}):
 * replay records, shared answers and the single-flight lock each go to the master of their own key's slot
 * (no command names two keys), every master takes its share, and a slot that moves is followed.
 */
class RedisClusterTest {
  private static final String URL = "https://api.example.test/api/private";
  @RegisterExtension
  static final RedisFixture fixture = RedisFixture.cluster();
  private final LocalRedisCluster cluster = fixture.redisCluster();
  private final TestIssuer issuer = fixture.issuer();

  private RedisSharedState state() {
    return fixture.state(Duration.ofSeconds(5));
  }

  /** A replica: a validator of the test issuer's tokens sharing state on the Cluster. */
  private AccessTokenValidator replica() {
    return fixture.closeAfter(issuer.validatorBuilder()
        .sharedState(RedisSharedState.builder().uri(cluster.uri()).commandTimeout(Duration.ofSeconds(5)).build())
        .opaqueTokens(OpaqueTokenPolicy.USERINFO).build());
  }

  @Test
  void firstUseWhenProofsAreRecordedThroughOneStateThenEachIsAReplayThroughAnotherAndEveryMasterHoldsSome()
      throws Exception {
    RedisSharedState a = state();
    RedisSharedState b = state();
    Instant until = Instant.now().plusSeconds(300);
    int n = 300;
    for (int i = 0; i < n; i++) {
      assertThat(a.dpopReplayStore().firstUse("jti-" + i, until)).as("first use of jti-%d", i).isTrue();
    }
    for (int i = 0; i < n; i++) {
      assertThat(b.dpopReplayStore().firstUse("jti-" + i, until)).as("replay of jti-%d", i).isFalse();
    }
    assertThat(cluster.keys()).hasSize(n);
    for (LocalRedis node : cluster.nodes()) {
      // a third of the slots each: about 100 of 300 keys, and never none
      assertThat(node.keys()).as("records on the master at port %d", node.port()).hasSizeGreaterThan(n / 6)
          .allSatisfy(k -> assertThat(k).startsWith("tokenward:dpop:jti-"));
    }
    String somewhere = "tokenward:dpop:jti-7";
    assertThat(Long.parseLong((String) cluster.owner(somewhere).command("PTTL", somewhere)))
        .isBetween(290_000L, 300_000L);
  }

  @Test
  void validateWhenTwoReplicasShareAClusterThenAProofUsedAtOneIsAReplayAtTheOther() throws Exception {
    AccessTokenValidator a = replica();
    AccessTokenValidator b = replica();
    DpopKey client = DpopKey.es256();
    String token = issuer.jwt().boundTo(client).sign();
    for (int i = 0; i < 12; i++) { // a dozen proofs: their records land on different masters
      String proof = proof(client, token);
      AccessTokenValidator first = i % 2 == 0 ? a : b;
      AccessTokenValidator second = i % 2 == 0 ? b : a;
      assertThat(first.validate(dpopRequest(token, proof)).subject()).isNotNull();
      assertThat(refusal(() -> second.validate(dpopRequest(token, proof)))).isEqualTo(Reason.DPOP_PROOF_REPLAY);
    }
    assertThat(cluster.keys()).hasSize(12).allSatisfy(k -> assertThat(k).matches("tokenward:dpop:[A-Za-z0-9_-]{43}"));
  }

  @Test
  void validateWhenReplicasShareAClusterThenOneUserinfoCallPerOpaqueToken() throws Exception {
    List<AccessTokenValidator> replicas = List.of(replica(), replica(), replica());
    List<String> tokens = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      tokens.add(issuer.opaqueToken(TestIssuer.DEMO_CLIENT, "read:messages"));
    }
    for (String opaque : tokens) {
      for (AccessTokenValidator r : replicas) {
        assertThat(r.validate(opaque).scopes()).contains("read:messages");
      }
    }
    assertThat(issuer.requestCount(IssuerEndpoint.USERINFO)).isEqualTo(tokens.size());
    assertThat(cluster.keys()).hasSize(tokens.size()).allSatisfy(k -> assertThat(k).startsWith("tokenward:online:"));
  }

  @Test
  void tryLockWhenTheLockAndTheAnswerLiveOnDifferentMastersThenEachCommandReachesItsOwnMaster() throws Exception {
    String key = null;
    for (int i = 0; i < 100 && key == null; i++) {
      String k = "k" + i;
      if (cluster.owner("tokenward:online-lock:" + k) != cluster.owner("tokenward:online:" + k)) {
        key = k;
      }
    }
    assertThat(key).as("a key whose lock and answer hash to different masters").isNotNull();
    LocalRedis lockMaster = cluster.owner("tokenward:online-lock:" + key);
    LocalRedis answerMaster = cluster.owner("tokenward:online:" + key);
    SharedOnlineCache a = state().onlineCache();
    SharedOnlineCache b = state().onlineCache();

    SharedOnlineCache.Lease lease = a.tryLock(key, Duration.ofSeconds(10)).orElseThrow();
    assertThat(b.tryLock(key, Duration.ofSeconds(10))).isEmpty();
    assertThat(lockMaster.keys()).contains("tokenward:online-lock:" + key);
    a.put(key, "{\"a\":1}", Duration.ofSeconds(60));
    assertThat(answerMaster.keys()).contains("tokenward:online:" + key);
    assertThat(b.get(key)).contains("{\"a\":1}");
    lease.release(); // EVAL with the lock's one key: runs on the lock's master
    assertThat(lockMaster.keys()).doesNotContain("tokenward:online-lock:" + key);
    assertThat(answerMaster.keys()).contains("tokenward:online:" + key);

    SharedOnlineCache.Lease second = b.tryLock(key, Duration.ofSeconds(10)).orElseThrow();
    lease.release(); // late: the lock is b's now
    assertThat(lockMaster.command("EXISTS", "tokenward:online-lock:" + key)).isEqualTo("1");
    second.release();
    assertThat(lockMaster.command("EXISTS", "tokenward:online-lock:" + key)).isEqualTo("0");
  }

  @Test
  void validateWhenThreadsOfThreeReplicasMeetANewOpaqueTokenAtOnceThenOneUserinfoCall() throws Exception {
    List<RedisOnlineLockTest.SharedCounts> counts = List.of(new RedisOnlineLockTest.SharedCounts(),
        new RedisOnlineLockTest.SharedCounts(), new RedisOnlineLockTest.SharedCounts());
    List<AccessTokenValidator> replicas = new ArrayList<>();
    for (RedisOnlineLockTest.SharedCounts c : counts) {
      replicas.add(fixture.closeAfter(issuer.validatorBuilder().sharedOnlineCache(state().onlineCache())
          .httpClient(new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).build())
          .opaqueTokens(OpaqueTokenPolicy.USERINFO).listener(c).build()));
    }
    // the issuer's answer takes longer than every replica's first look into Redis: without the lock each would call
    issuer.delay(IssuerEndpoint.USERINFO, Duration.ofMillis(300));
    int threadsPerReplica = 4;
    int threads = replicas.size() * threadsPerReplica;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    boolean lockAndAnswerApart = false;
    try {
      // at least three rounds, and until one token's lock and answer lived on different masters (a third of
      // tokens share one master; twenty rounds all alike would be a chance of one in three billion)
      for (int round = 1; round <= 20 && (round <= 3 || !lockAndAnswerApart); round++) {
        String opaque = issuer.opaqueToken(TestIssuer.DEMO_CLIENT, "read:messages");
        CyclicBarrier together = new CyclicBarrier(threads);
        List<Future<VerifiedToken>> answers = new ArrayList<>();
        for (AccessTokenValidator replica : replicas) {
          for (int i = 0; i < threadsPerReplica; i++) {
            answers.add(pool.submit(() -> {
              together.await(30, TimeUnit.SECONDS);
              return replica.validate(opaque);
            }));
          }
        }
        for (Future<VerifiedToken> answer : answers) {
          assertThat(answer.get(60, TimeUnit.SECONDS).scopes()).contains("read:messages");
        }
        assertThat(issuer.requestCount(IssuerEndpoint.USERINFO)).as("userinfo calls after round %d", round)
            .isEqualTo(round);
        assertThat(counts.stream().mapToInt(c -> c.misses.get()).sum()).isEqualTo(round);
        assertThat(counts.stream().mapToInt(c -> c.hits.get()).sum()).isEqualTo(2 * round);
        assertThat(counts.stream().mapToInt(c -> c.calls.get()).sum()).isEqualTo(round);
        assertThat(counts.stream().mapToInt(c -> c.failures.get()).sum()).isZero();
        List<String> keys = cluster.keys();
        assertThat(keys).noneMatch(k -> k.startsWith("tokenward:online-lock:")).noneMatch(k -> k.contains(opaque))
            .hasSize(round);
        for (String answer : keys) {
          String hash = answer.substring("tokenward:online:".length());
          lockAndAnswerApart |= cluster.owner("tokenward:online-lock:" + hash) != cluster.owner(answer);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(lockAndAnswerApart).as("a round whose lock and answer lived on different masters").isTrue();
  }

  @Test
  void firstUseWhenASlotMovesToAnotherMasterThenTheRecordFollowsItThereAndStaysAReplay() throws Exception {
    RedisSharedState state = state(); // connected: it holds the Cluster's map as it is now
    Instant until = Instant.now().plusSeconds(300);
    assertThat(state.dpopReplayStore().firstUse("warm", until)).isTrue();
    String key = "moving";
    String fullKey = "tokenward:dpop:" + key;
    LocalRedis from = cluster.owner(fullKey);
    LocalRedis to = cluster.nodes().stream().filter(n -> n != from).findFirst().orElseThrow();
    long slot = Long.parseLong((String) from.command("CLUSTER", "KEYSLOT", fullKey));
    cluster.moveSlot(slot, from, to);

    // the state's map still names the old master, which answers MOVED: the client follows it
    assertThat(state.dpopReplayStore().firstUse(key, until)).isTrue();
    assertThat(to.keys()).contains(fullKey);
    assertThat(from.keys()).doesNotContain(fullKey);
    assertThat(state.dpopReplayStore().firstUse(key, until)).isFalse();
    assertThat(state().dpopReplayStore().firstUse(key, until)).as("through a state with a fresh map").isFalse();
  }

  @Test
  void configWhenTokenwardRedisUriIsRedisClusterThenTheValidatorsShareStateThroughIt() throws Exception {
    TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", issuer.issuer(),
        "TOKENWARD_AUDIENCE", issuer.audience(), "TOKENWARD_REDIS_URI", cluster.uri()));
    DpopKey client = DpopKey.es256();
    String token = issuer.jwt().boundTo(client).sign();
    String proof = proof(client, token);
    try (AccessTokenValidator a = config.validator(); AccessTokenValidator b = config.validator()) {
      a.validate(dpopRequest(token, proof));
      assertThat(refusal(() -> b.validate(dpopRequest(token, proof)))).isEqualTo(Reason.DPOP_PROOF_REPLAY);
    }
    assertThat(cluster.keys()).singleElement().satisfies(k -> assertThat(k).startsWith("tokenward:dpop:"));
  }

  @Test
  void uriWhenRedisClusterThenTheNodesAreShownWithoutThePasswordAndMalformedFormsFail() {
    try (RedisSharedState s = RedisSharedState.builder().uri("redis-cluster://:hunter2@127.0.0.1:1,127.0.0.1:2/0")
        .connectTimeout(Duration.ofMillis(200)).build()) {
      assertThat(s.toString()).isEqualTo("RedisSharedState{redis-cluster://127.0.0.1:1,127.0.0.1:2, prefix=tokenward:}");
    }
    for (String bad : List.of("redis-cluster://:hunter2@127.0.0.1:7000/3", "redis-cluster://:hunter2@",
        "redis-cluster://:hunter2@127.0.0.1:7000,,127.0.0.1:7001", "redis-cluster://:hunter2@127.0.0.1:7000?timeout=1s",
        "rediss-cluster://:hunter2@127.0.0.1:x")) {
      assertThatThrownBy(() -> RedisSharedState.builder().uri(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("sharedState: ").hasMessageContaining("-cluster://").hasMessageNotContaining("hunter2");
    }
  }

  @Test
  void closeWhenAClusterStateIsClosedThenNoThreadAndNoConnectionIsLeft() throws Exception {
    RedisSharedState state = RedisSharedState.builder().uri(cluster.uri()).build();
    for (int i = 0; i < 30; i++) {
      state.dpopReplayStore().firstUse("threads-" + i, Instant.now().plusSeconds(10)); // a connection to each master
    }
    String prefix = state.threadNamePrefix();
    assertThat(threadsNamed(prefix)).isNotEmpty();
    long before = clients();

    state.close();

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while ((!threadsNamed(prefix).isEmpty() || clients() > 0) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(before).as("connections the Cluster saw").isPositive();
    assertThat(threadsNamed(prefix)).isEmpty();
    assertThat(clients()).as("connections the Cluster still sees").isZero();
    assertThatThrownBy(() -> state.dpopReplayStore().firstUse("after", Instant.now().plusSeconds(10)))
        .isInstanceOf(IOException.class);
  }

  /** The clients connected to all three masters, less the probes (and the masters' links to each other, which are not clients). */
  private long clients() throws IOException {
    long n = 0;
    for (LocalRedis node : cluster.nodes()) {
      for (String line : ((String) node.command("INFO", "clients")).split("\r\n")) {
        if (line.startsWith("connected_clients:")) {
          n += Long.parseLong(line.substring(18).trim()) - 1;
        }
      }
    }
    return n;
  }

  private static List<String> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(name -> name.startsWith(prefix)).toList();
  }

  private static TokenRequest dpopRequest(String token, String proof) {
    return TokenRequest.builder("GET", URL).authorization("DPoP " + token).dpopProof(proof).build();
  }

  private static String proof(DpopKey client, String token) {
    return client.proof().method("GET").url(URL).accessToken(token).sign();
  }

  private interface Call {
    Object call() throws Exception;
  }

  private static Reason refusal(Call call) throws Exception {
    try {
      call.call();
    } catch (TokenValidationException e) {
      return e.reason();
    }
    return null;
  }
}
