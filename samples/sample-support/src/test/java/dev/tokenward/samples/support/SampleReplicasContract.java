package dev.tokenward.samples.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.test.DpopKey;
import dev.tokenward.redis.LocalRedis;
import dev.tokenward.test.IssuerEndpoint;
import dev.tokenward.test.TestIssuer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract's "Shared state across replicas (Redis)": three replicas of a sample, each started as
 * its {@code main} starts it with {@code TOKENWARD_REDIS_URI} naming one real redis-server
 * ({@link LocalRedis}), behind one external URL ({@code TOKENWARD_BASE_URL}, as behind a load balancer),
 * over HTTP. Each sample runs it by extending this class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SampleReplicasContract {
  private static final String EXTERNAL = "https://api.replicas.test";
  private static final String PATH = "/api/private";

  private LocalRedis redis;
  private TestIssuer issuer;
  private final List<RunningSample> replicas = new ArrayList<>();

  /** The sample's name, as in its output line. */
  protected abstract String name();

  /** How the sample starts its server, as its {@code main} does. */
  protected abstract SampleServer.Factory factory();

  @BeforeAll
  void startRedisIssuerAndReplicas() throws Exception {
    redis = LocalRedis.start();
    issuer = TestIssuer.defaults().start();
    Map<String, String> env = Map.of("PORT", "0", "TOKENWARD_ISSUER", issuer.issuer(), "TOKENWARD_AUDIENCE",
        TestIssuer.DEFAULT_API, "TOKENWARD_OPAQUE", "userinfo",
        "TOKENWARD_BASE_URL", EXTERNAL, "TOKENWARD_REDIS_URI", redis.uri());
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    for (int i = 0; i < 3; i++) {
      replicas.add(SampleLauncher.start(name(), env, quiet, factory()));
    }
    // Each replica's first request fetches the issuer's keys and opens its Redis connection; on a
    // busy machine that first request can outlast the 500 ms command timeout and answer 503 (as the
    // service should). The tests are about sharing, not start-up, so they start from warm replicas.
    DpopKey client = DpopKey.es256();
    String token = boundToken(client);
    for (RunningSample replica : replicas) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      Answer last;
      do {
        last = dpop(replica, token, proof(client, token));
      } while (last.status() == 503 && System.nanoTime() < deadline && pause());
      assertThat(last.status()).as("warm-up DPoP request at %s: %s", replica.baseUri(), last.body()).isEqualTo(200);
    }
  }

  private static boolean pause() {
    try {
      Thread.sleep(200);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @AfterAll
  void stopAll() {
    for (RunningSample replica : replicas) {
      replica.close();
      replica.validator().close(); // its Redis connection and threads (main leaves that to the JVM's exit)
    }
    if (issuer != null) {
      issuer.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void resetCounts() {
    issuer.reset();
  }

  private static Answer dpop(RunningSample replica, String token, String proof) {
    return ContractHttp.get(replica.baseUri(), PATH, List.of("Authorization: DPoP " + token, "DPoP: " + proof));
  }

  private String boundToken(DpopKey client) {
    return issuer.jwt().boundTo(client).sign();
  }

  @Test
  void aDpopProofAcceptedByOneReplicaIsAReplayAtEveryOther() {
    DpopKey client = DpopKey.es256();
    String token = boundToken(client);
    String proof = proof(client, token);

    assertThat(dpop(replicas.get(0), token, proof).status()).isEqualTo(200);
    for (RunningSample other : replicas) {
      Answer replay = dpop(other, token, proof);
      assertThat(replay.status()).isEqualTo(401);
      assertThat(replay.json()).containsEntry("error", "invalid_dpop_proof");
      assertThat((String) replay.json().get("error_description")).contains("already used");
      assertThat(replay.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("DPoP "));
    }
    assertThat(dpop(replicas.get(2), token, proof(client, token)).status()).isEqualTo(200);
  }

  @Test
  void oneOpaqueTokenCausesOneUserinfoCallAcrossTheReplicas() {
    String opaque = issuer.opaqueToken(TestIssuer.DEMO_CLIENT, "read:messages");
    for (int round = 0; round < 2; round++) {
      for (RunningSample replica : replicas) {
        Answer a = ContractHttp.getWithToken(replica.baseUri(), PATH, opaque);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json()).containsEntry("tokenType", "opaque");
      }
    }
    assertThat(issuer.requestCount(IssuerEndpoint.USERINFO)).isEqualTo(1);
  }

  @Test
  void oneNewOpaqueTokenReachingEveryReplicaAtTheSameInstantCausesOneUserinfoCall() throws Exception {
    // A Redis command that outlasts the samples' 500 ms timeout on a loaded machine makes that replica ask the
    // issuer itself (fail safe, counted as result="error"): such a round proves nothing about the lock, and the
    // next round, with a new token, is tried. Every round must answer 200; one without an error must make
    // exactly one call.
    for (int round = 1; round <= 5; round++) {
      issuer.reset();
      double[] shared = concurrentRoundWithANewToken();
      int calls = issuer.requestCount(IssuerEndpoint.USERINFO);
      if (shared[2] == 0) {
        assertThat(calls).as("userinfo calls in round %d", round).isEqualTo(1);
        // each replica looked into Redis once (its other requests joined its lookup): two hits, one miss
        assertThat(shared).as("shared hit, miss, error in round %d", round).containsExactly(2, 1, 0);
        return;
      }
      assertThat(calls).as("userinfo calls in round %d, with %s shared errors", round, shared[2])
          .isBetween(1, replicas.size());
    }
    throw new AssertionError("every round had a Redis command outlast its timeout: the machine is too loaded to tell");
  }

  /** Three requests per replica with one new opaque token, released together; the shared hit, miss and error counts. */
  private double[] concurrentRoundWithANewToken() throws Exception {
    String opaque = issuer.opaqueToken(TestIssuer.DEMO_CLIENT, "read:messages");
    // the issuer's answer outlasts every replica's first look into Redis: without the lock each would call it
    issuer.delay(IssuerEndpoint.USERINFO, Duration.ofMillis(300));
    List<String> before = replicas.stream().map(SampleReplicasContract::scrape).toList();
    int perReplica = 3;
    CyclicBarrier together = new CyclicBarrier(replicas.size() * perReplica);
    ExecutorService pool = Executors.newFixedThreadPool(replicas.size() * perReplica);
    try {
      List<Future<Answer>> answers = new ArrayList<>();
      for (RunningSample replica : replicas) {
        for (int i = 0; i < perReplica; i++) {
          answers.add(pool.submit(() -> {
            together.await(30, TimeUnit.SECONDS);
            return ContractHttp.getWithToken(replica.baseUri(), PATH, opaque);
          }));
        }
      }
      for (Future<Answer> f : answers) {
        Answer a = f.get(60, TimeUnit.SECONDS);
        assertThat(a.status()).as("answer: %s", a.body()).isEqualTo(200);
        assertThat(a.json()).containsEntry("tokenType", "opaque");
      }
    } finally {
      pool.shutdownNow();
    }
    double[] shared = new double[3];
    for (int i = 0; i < replicas.size(); i++) {
      String after = scrape(replicas.get(i));
      for (int r = 0; r < 3; r++) {
        String result = "result=\"" + List.of("hit", "miss", "error").get(r) + "\"";
        shared[r] += metric(after, SHARED_GETS, result) - metric(before.get(i), SHARED_GETS, result);
      }
    }
    return shared;
  }

  private static final String SHARED_GETS = "tokenward_shared_online_cache_gets_total";
  private static final String REPLAY_STORE_ERRORS = "tokenward_dpop_replay_store_errors_total";

  private static String scrape(RunningSample replica) {
    Answer a = ContractHttp.get(replica.baseUri(), SampleMetrics.PATH);
    assertThat(a.status()).isEqualTo(200);
    return a.body();
  }

  /** The sum of the sample lines of {@code name} whose labels include all of {@code labels}; 0 when none. */
  private static double metric(String scrape, String name, String... labels) {
    double sum = 0;
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name + "{")) {
        String labelSet = line.substring(name.length(), line.lastIndexOf('}') + 1);
        if (Arrays.stream(labels).allMatch(labelSet::contains)) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return sum;
  }

  @Test
  void redisStoppedMidRunThenDpopIs503BearerWorksAndAllRecoverWithoutARestart() throws Exception {
    DpopKey client = DpopKey.es256();
    String token = boundToken(client);
    String bearer = issuer.accessToken(TestIssuer.DEMO_CLIENT, TestIssuer.DEFAULT_API, "read:messages");
    for (RunningSample replica : replicas) { // every replica connected
      assertThat(dpop(replica, token, proof(client, token)).status()).isEqualTo(200);
    }

    List<String> before = replicas.stream().map(SampleReplicasContract::scrape).toList();
    redis.stop();
    try {
      for (RunningSample replica : replicas) {
        Answer down = dpop(replica, token, proof(client, token));
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.json()).containsEntry("error", "temporarily_unavailable");
        assertThat(down.header("Retry-After")).isPresent();
        Answer bearerAnswer = ContractHttp.getWithToken(replica.baseUri(), PATH, bearer);
        assertThat(bearerAnswer.status()).as("bearer at %s while Redis is down: %s", replica.baseUri(),
            bearerAnswer.body()).isEqualTo(200);
      }
      String opaque = issuer.opaqueToken(TestIssuer.DEMO_CLIENT, "read:messages");
      assertThat(ContractHttp.getWithToken(replicas.get(1).baseUri(), PATH, opaque).status()).isEqualTo(200);
      // the meters an operator alerts on: one replay-store error per DPoP request, one shared-answer error
      for (int i = 0; i < replicas.size(); i++) {
        String after = scrape(replicas.get(i));
        assertThat(metric(after, REPLAY_STORE_ERRORS) - metric(before.get(i), REPLAY_STORE_ERRORS))
            .as("replay-store errors at replica %d", i).isEqualTo(1);
        assertThat(metric(after, SHARED_GETS, "result=\"error\"") - metric(before.get(i), SHARED_GETS,
            "result=\"error\"")).as("shared-answer errors at replica %d", i).isEqualTo(i == 1 ? 1 : 0);
      }
    } finally {
      redis.restart();
    }

    for (RunningSample replica : replicas) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      int status;
      do {
        Thread.sleep(100);
        status = dpop(replica, token, proof(client, token)).status();
      } while (status == 503 && System.nanoTime() < deadline);
      assertThat(status).as("DPoP at %s after Redis came back", replica.baseUri()).isEqualTo(200);
    }
  }

  /** A fresh proof (new jti, iat now) of {@code client} for GET on the tested URL, carrying {@code token}'s hash. */
  private static String proof(DpopKey client, String token) {
    return client.proof().method("GET").url(EXTERNAL + PATH).accessToken(token).sign();
  }
}
