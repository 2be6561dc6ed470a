package dev.tokenward.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rediss-cluster://} against a real Redis Cluster of three masters speaking TLS to clients and to each
 * other ({@code tls-cluster yes}, certificates for 127.0.0.1 from {@link RedisTlsFiles}): the seed's TLS
 * settings reach every master the map names, and a certificate the JVM's trust store does not vouch for
 * fails every command, never passes. The trust store is named by {@code javax.net.ssl.trustStore} for these
 * tests and restored afterwards, as in {@link RedisTlsTest}.
 */
class RedisClusterTlsTest {
  private static Path dir;
  private static LocalRedisCluster cluster;
  private String savedTrustStore;
  private String savedPassword;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("tokenward-redis-cluster-tls");
    cluster = LocalRedisCluster.startTls(RedisTlsFiles.write(dir));
  }

  @AfterAll
  static void stop() throws IOException {
    cluster.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @BeforeEach
  void saveTrustStore() throws IOException {
    savedTrustStore = System.getProperty("javax.net.ssl.trustStore");
    savedPassword = System.getProperty("javax.net.ssl.trustStorePassword");
    cluster.flush();
  }

  @AfterEach
  void restoreTrustStore() {
    restore("javax.net.ssl.trustStore", savedTrustStore);
    restore("javax.net.ssl.trustStorePassword", savedPassword);
  }

  @Test
  void firstUseWhenRedissClusterAndTheAuthorityIsTrustedThenRecordsReachEveryMasterOverTls() throws Exception {
    System.setProperty("javax.net.ssl.trustStore", dir.resolve("trust.p12").toString());
    System.setProperty("javax.net.ssl.trustStorePassword", RedisTlsFiles.TRUST_STORE_PASSWORD);
    try (RedisSharedState a = tlsState(); RedisSharedState b = tlsState()) {
      Instant until = Instant.now().plusSeconds(60);
      for (int i = 0; i < 60; i++) {
        assertThat(a.dpopReplayStore().firstUse("tls-" + i, until)).isTrue();
        assertThat(b.dpopReplayStore().firstUse("tls-" + i, until)).isFalse();
      }
      for (LocalRedis node : cluster.nodes()) {
        assertThat(node.keys()).as("records on the master at port %d", node.port()).isNotEmpty();
      }
      a.onlineCache().put("answer", "{\"a\":1}", Duration.ofSeconds(60));
      assertThat(b.onlineCache().get("answer")).contains("{\"a\":1}");
      assertThat(a.toString()).contains(cluster.tlsUri());
    }
  }

  @Test
  void firstUseWhenRedissClusterAndTheCertificateIsNotTrustedThenEveryCommandFailsNeverPasses() {
    System.clearProperty("javax.net.ssl.trustStore"); // the JDK's own CA certificates: not the test authority
    System.clearProperty("javax.net.ssl.trustStorePassword");
    try (RedisSharedState state = tlsState()) {
      assertThatThrownBy(() -> state.dpopReplayStore().firstUse("untrusted", Instant.now().plusSeconds(60)))
          .isInstanceOf(IOException.class).hasMessageContaining("cannot connect to Redis at rediss-cluster://127.0.0.1:");
      assertThatThrownBy(() -> state.onlineCache().get("untrusted")).isInstanceOf(IOException.class);
    }
  }

  private static RedisSharedState tlsState() {
    return RedisSharedState.builder().uri(cluster.tlsUri()).commandTimeout(Duration.ofSeconds(5))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static void restore(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }
}
