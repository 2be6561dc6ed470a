package dev.tokenward.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rediss://} against a real redis-server speaking only TLS (its certificate issued for 127.0.0.1 by
 * the test kit's test authority, {@link RedisTlsFiles}): records travel when the JVM's trust store holds the
 * authority, and nothing passes when it does not. The trust store is the JVM's default, named for these
 * tests by {@code javax.net.ssl.trustStore} and restored afterwards.
 */
class RedisTlsTest {
  private Path dir;
  private Process redis;
  private int port;
  private String savedTrustStore;
  private String savedPassword;

  @BeforeEach
  void startTlsRedis() throws Exception {
    dir = Files.createTempDirectory("tokenward-redis-tls");
    RedisTlsFiles tls = RedisTlsFiles.write(dir);
    // the TLS port is found free here but bound by redis-server, so another process can take it in
    // between: a redis-server that exits at start is tried again on another port, three times at most
    for (int attempt = 1; ; attempt++) {
      port = LocalRedis.freePort();
      List<String> command = new ArrayList<>(List.of("redis-server", "--port", "0", "--bind", "127.0.0.1", "--save",
          "", "--appendonly", "no", "--dir", dir.toString(), "--loglevel", "warning"));
      command.addAll(tls.serverOptions(port));
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.redirectErrorStream(true);
      pb.redirectOutput(dir.resolve("redis.log").toFile());
      redis = pb.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (!answersPingOverTls() && redis.isAlive()) {
        assertThat(System.nanoTime()).as("redis-server with TLS listening: %s", log()).isLessThan(deadline);
        Thread.sleep(20);
      }
      if (redis.isAlive()) {
        break;
      }
      assertThat(attempt).as("redis-server with TLS exited at start: %s", log()).isLessThan(3);
    }
    savedTrustStore = System.getProperty("javax.net.ssl.trustStore");
    savedPassword = System.getProperty("javax.net.ssl.trustStorePassword");
  }

  @AfterEach
  void stop() throws Exception {
    restore("javax.net.ssl.trustStore", savedTrustStore);
    restore("javax.net.ssl.trustStorePassword", savedPassword);
    redis.destroy();
    if (!redis.waitFor(10, TimeUnit.SECONDS)) {
      redis.destroyForcibly();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void uriWhenRedissAndTheAuthorityIsTrustedThenRecordsTravelOverTls() throws Exception {
    System.setProperty("javax.net.ssl.trustStore", dir.resolve("trust.p12").toString());
    System.setProperty("javax.net.ssl.trustStorePassword", RedisTlsFiles.TRUST_STORE_PASSWORD);
    try (RedisSharedState state = RedisSharedState.builder().uri("rediss://127.0.0.1:" + port + "/0")
        .commandTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(5)).build()) {
      Instant until = Instant.now().plusSeconds(60);
      assertThat(state.dpopReplayStore().firstUse("over-tls", until)).isTrue();
      assertThat(state.dpopReplayStore().firstUse("over-tls", until)).isFalse();
      state.onlineCache().put("answer", "{\"a\":1}", Duration.ofSeconds(60));
      assertThat(state.onlineCache().get("answer")).contains("{\"a\":1}");
      assertThat(state.toString()).contains("rediss://127.0.0.1:" + port + "/0");
    }
  }

  @Test
  void uriWhenRedissAndTheCertificateIsNotTrustedThenEveryCommandFailsNeverPasses() {
    System.clearProperty("javax.net.ssl.trustStore"); // the JDK's own CA certificates: not the test authority
    System.clearProperty("javax.net.ssl.trustStorePassword");
    try (RedisSharedState state = RedisSharedState.builder().uri("rediss://127.0.0.1:" + port + "/0")
        .commandTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(5)).build()) {
      assertThatThrownBy(() -> state.dpopReplayStore().firstUse("untrusted", Instant.now().plusSeconds(60)))
          .isInstanceOf(IOException.class).hasMessageContaining("127.0.0.1:" + port);
      assertThatThrownBy(() -> state.onlineCache().get("untrusted")).isInstanceOf(IOException.class);
    }
  }

  /**
   * True once this test's redis-server answers PING over TLS with the test authority's certificate; not
   * for another process that took the port (a bare connect would count that as ready).
   */
  private boolean answersPingOverTls() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(dir.resolve("trust.p12"))) {
        trust.load(in, RedisTlsFiles.TRUST_STORE_PASSWORD.toCharArray());
      }
      TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers.getTrustManagers(), null);
      try (Socket s = context.getSocketFactory().createSocket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        s.setSoTimeout(2000);
        s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        return "+PONG".equals(new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
      }
    } catch (IOException | GeneralSecurityException e) {
      return false;
    }
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("redis.log")).strip();
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static void restore(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }
}
