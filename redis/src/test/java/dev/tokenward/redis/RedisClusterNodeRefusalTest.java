package dev.tokenward.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.ConfigurationException;
import dev.tokenward.core.OpaqueTokenPolicy;
import dev.tokenward.core.Reason;
import dev.tokenward.core.TokenRequest;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.core.TokenwardConfig;
import dev.tokenward.test.DpopKey;
import dev.tokenward.test.IssuerEndpoint;
import dev.tokenward.test.TestIssuer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A URI for one server ({@code redis://}) that names a node of a Redis Cluster, against a real
 * cluster-enabled redis-server: refused as soon as Redis says what it is (at start, or when it first
 * answers after start), never used, and until then treated as a Redis that cannot be reached. Also the
 * converse ({@code redis-cluster://} naming a single Redis) and a Sentinel named as a server.
 */
class RedisClusterNodeRefusalTest {
  private static final String URL = "https://api.example.test/api/private";

  @Test
  void buildWhenARedisUriNamesAClusterNodeThenFailsNamingTheUriWithoutItsPasswordAndRedisCluster() throws Exception {
    try (LocalRedis node = LocalRedis.startClusterEnabled()) {
      node.command("CONFIG", "SET", "requirepass", "hunter2");
      String uri = "redis://:hunter2@127.0.0.1:" + node.port() + "/0";
      assertThatThrownBy(() -> RedisSharedState.builder().uri(uri).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("sharedState: redis://127.0.0.1:" + node.port() + "/0 is a node of a Redis Cluster")
          .hasMessageContaining("redis-cluster://[:password@]host:port[,host:port...]")
          .hasMessageNotContaining("hunter2");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (clients(node, "hunter2") > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(clients(node, "hunter2")).as("connections left open on the refused node").isZero();
    }
  }

  @Test
  void buildWhenARedissUriWouldNameAClusterNodeThenTheMessageNamesRedissCluster() {
    RedisTarget target = RedisTarget.parse("rediss://127.0.0.1:6380/0");
    assertThat(target.clusterScheme()).isEqualTo("rediss-cluster");
    assertThat(RedisTarget.parse("redis://127.0.0.1:6380/0").clusterScheme()).isEqualTo("redis-cluster");
  }

  @Test
  void buildWhenTheHandshakeHasNoHelloThenInfoServerTellsTheClusterNode() throws Exception {
    try (LocalRedis node = LocalRedis.startClusterEnabled(); LocalRedis plain = LocalRedis.start()) {
      assertThatThrownBy(() -> RedisSharedState.builder().uri(node.uri()).resp2().build())
          .hasMessageContaining("is a node of a Redis Cluster");
      try (RedisSharedState state = RedisSharedState.builder().uri(plain.uri()).resp2().build()) {
        assertThat(state.dpopReplayStore().firstUse("resp2", Instant.now().plusSeconds(60))).isTrue();
      }
    }
  }

  @Test
  void buildWhenTheUserMayNotRunInfoThenTheHandshakeStillTellsAndRecordsWork() throws Exception {
    // a least-privilege user: INFO is in @dangerous; HELLO (the handshake) is allowed to every user
    try (LocalRedis node = LocalRedis.startClusterEnabled(); LocalRedis plain = LocalRedis.start()) {
      for (LocalRedis r : List.of(node, plain)) {
        r.command("ACL", "SETUSER", "tw", "on", ">pw", "~tokenward:*", "+@all", "-@dangerous");
      }
      assertThat(asUser(plain, "tw", "pw", "INFO server")).as("INFO for that user").startsWith("-NOPERM");
      assertThatThrownBy(() -> RedisSharedState.builder().uri("redis://tw:pw@127.0.0.1:" + node.port() + "/0").build())
          .hasMessageContaining("is a node of a Redis Cluster").hasMessageNotContaining("pw@");
      try (RedisSharedState state = RedisSharedState.builder().uri("redis://tw:pw@127.0.0.1:" + plain.port() + "/0")
          .build()) {
        Instant until = Instant.now().plusSeconds(60);
        assertThat(state.dpopReplayStore().firstUse("acl", until)).isTrue();
        assertThat(state.dpopReplayStore().firstUse("acl", until)).isFalse();
      }
    }
  }

  @Test
  void configWhenTokenwardRedisUriNamesAClusterNodeThenStartFailsNamingTheVariableAndRedisCluster() throws Exception {
    try (LocalRedis node = LocalRedis.startClusterEnabled(); TestIssuer issuer = TestIssuer.defaults().start()) {
      TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", issuer.issuer(),
          "TOKENWARD_AUDIENCE", issuer.audience(), "TOKENWARD_REDIS_URI", node.uri()));
      assertThatThrownBy(config::validator).isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith("TOKENWARD_REDIS_URI: redis://127.0.0.1:" + node.port() + "/0 is a node of a Redis "
              + "Cluster")
          .hasMessageContaining("redis-cluster://");
    }
  }

  @Test
  void validateWhenAClusterNodeAnswersOnlyAfterStartThenNoProofIsEverAcceptedAndOpaqueTokensGoToTheIssuer()
      throws Exception {
    try (LocalRedis node = LocalRedis.startClusterEnabled(); TestIssuer issuer = TestIssuer.defaults().start()) {
      node.stop(); // down at start: not a start-up error
      try (AccessTokenValidator v = issuer.validatorBuilder()
          .sharedState(RedisSharedState.builder().uri(node.uri()).commandTimeout(Duration.ofSeconds(2)).build())
          .opaqueTokens(OpaqueTokenPolicy.USERINFO).build()) {
        DpopKey client = DpopKey.es256();
        String bound = issuer.jwt().boundTo(client).sign();
        assertThat(refusal(() -> v.validate(dpop(client, bound)))).isEqualTo(Reason.REPLAY_STORE_UNAVAILABLE);

        node.restart(); // the node answers now, and says it is a Cluster node
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int attempts = 0;
        while (System.nanoTime() < deadline && attempts < 10) {
          Thread.sleep(150); // reconnections are at most once a second: several happen
          TokenValidationException e = catchRefusal(() -> v.validate(dpop(client, bound)));
          assertThat(e).as("a DPoP request while the Cluster node answers").isNotNull();
          assertThat(e.reason()).isEqualTo(Reason.REPLAY_STORE_UNAVAILABLE);
          assertThat(e.reason().httpStatus()).isEqualTo(503);
          attempts++;
        }
        assertThat(node.keys()).as("nothing written to the Cluster node").isEmpty();
        String opaque = issuer.opaqueToken(TestIssuer.DEMO_CLIENT, "read:messages");
        assertThat(v.validate(opaque).scopes()).contains("read:messages");
        assertThat(issuer.requestCount(IssuerEndpoint.USERINFO)).isEqualTo(1);
      }
    }
  }

  @Test
  void firstUseWhenAClusterNodeAnswersOnlyAfterStartThenEveryCommandFailsNamingRedisClusterForGood()
      throws Exception {
    try (LocalRedis node = LocalRedis.startClusterEnabled()) {
      node.stop();
      try (RedisSharedState state = RedisSharedState.builder().uri(node.uri()).commandTimeout(Duration.ofSeconds(2))
          .build()) {
        Instant until = Instant.now().plusSeconds(60);
        assertThatThrownBy(() -> state.dpopReplayStore().firstUse("k", until)).isInstanceOf(IOException.class)
            .hasMessageContaining("cannot connect");
        node.restart();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String message = "";
        while (!message.contains("Redis Cluster") && System.nanoTime() < deadline) {
          Thread.sleep(100);
          try {
            state.dpopReplayStore().firstUse("k", until);
            message = "accepted";
            break;
          } catch (IOException e) {
            message = e.getMessage();
          }
        }
        assertThat(message).startsWith("Redis at redis://127.0.0.1:" + node.port() + "/0 is a node of a Redis Cluster")
            .contains("redis-cluster://");
        // decided: no new connection is attempted, the same refusal comes at once
        assertThatThrownBy(() -> state.onlineCache().get("k")).isInstanceOf(IOException.class)
            .hasMessage(message);
        assertThat(node.keys()).isEmpty();
      }
    }
  }

  @Test
  void buildWhenARedisClusterUriNamesASingleRedisThenFailsSayingItIsNotACluster() throws Exception {
    try (LocalRedis plain = LocalRedis.start()) {
      assertThatThrownBy(() -> RedisSharedState.builder().uri("redis-cluster://127.0.0.1:" + plain.port()).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("sharedState: redis-cluster://127.0.0.1:" + plain.port()
              + " does not name a Redis Cluster")
          .hasMessageContaining("redis://host:port[/db]");
    }
  }

  @Test
  void buildWhenARedisUriNamesASentinelThenFailsNamingRedisSentinel() throws Exception {
    try (LocalRedis master = LocalRedis.start(); LocalSentinel sentinel = LocalSentinel.monitoring(master)) {
      String asServer = "redis://127.0.0.1:" + sentinel.uri().replaceAll(".*:(\\d+)/0#.*", "$1") + "/0";
      assertThatThrownBy(() -> RedisSharedState.builder().uri(asServer).build())
          .hasMessageContaining("is a Redis Sentinel, not a Redis server")
          .hasMessageContaining("redis-sentinel://");
    }
  }

  private static TokenRequest dpop(DpopKey client, String token) {
    String proof = client.proof().method("GET").url(URL).accessToken(token).sign();
    return TokenRequest.builder("GET", URL).authorization("DPoP " + token).dpopProof(proof).build();
  }

  private interface Call {
    Object call() throws Exception;
  }

  private static TokenValidationException catchRefusal(Call call) throws Exception {
    try {
      call.call();
      return null;
    } catch (TokenValidationException e) {
      return e;
    }
  }

  private static Reason refusal(Call call) throws Exception {
    TokenValidationException e = catchRefusal(call);
    return e == null ? null : e.reason();
  }

  /** The first line of the reply to {@code command} (inline form) sent after {@code AUTH user password}. */
  private static String asUser(LocalRedis node, String user, String password, String command) throws IOException {
    try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), node.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(("AUTH " + user + " " + password + "\r\n" + command + "\r\n").getBytes());
      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream()));
      String auth = in.readLine();
      if (!"+OK".equals(auth)) {
        throw new IOException("AUTH answered " + auth);
      }
      return in.readLine();
    }
  }

  /** The clients connected to {@code node}, less the probe itself. */
  private static long clients(LocalRedis node, String password) throws IOException {
    try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), node.port())) {
      s.getOutputStream().write(("AUTH " + password + "\r\nINFO clients\r\n").getBytes());
      s.setSoTimeout(5000);
      byte[] buf = new byte[4096];
      StringBuilder b = new StringBuilder();
      while (!b.toString().contains("connected_clients:")
          || !b.toString().substring(b.indexOf("connected_clients:")).contains("\r\n")) {
        int n = s.getInputStream().read(buf);
        if (n < 0) {
          break;
        }
        b.append(new String(buf, 0, n));
      }
      String rest = b.substring(b.indexOf("connected_clients:") + 18);
      return Long.parseLong(rest.substring(0, rest.indexOf('\r')).trim()) - 1;
    }
  }
}
