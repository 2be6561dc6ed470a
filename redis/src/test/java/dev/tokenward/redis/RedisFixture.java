package dev.tokenward.redis;

import dev.tokenward.test.TestIssuer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up the replica tests share, as a JUnit extension ({@code @RegisterExtension static final}): one
 * real Redis ({@link #server()}, a {@link LocalRedis}) or Redis Cluster ({@link #cluster()}, a
 * {@link LocalRedisCluster}) and one {@link TestIssuer} for the test class; before each test Redis is
 * emptied and the issuer's counters and delays reset; after it, everything the test handed to
 * {@link #closeAfter} is closed, in order.
 */
final class RedisFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final boolean clustered;
  private LocalRedis redis;
  private LocalRedisCluster cluster;
  private TestIssuer issuer;
  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  private RedisFixture(boolean clustered) {
    this.clustered = clustered;
  }

  /** One redis-server. */
  static RedisFixture server() {
    return new RedisFixture(false);
  }

  /** A Redis Cluster of three masters. */
  static RedisFixture cluster() {
    return new RedisFixture(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    if (clustered) {
      cluster = LocalRedisCluster.start();
    } else {
      redis = LocalRedis.start();
    }
    issuer = TestIssuer.defaults().start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (issuer != null) {
      issuer.close();
    }
    if (redis != null) {
      redis.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    if (clustered) {
      cluster.flush();
    } else {
      redis.command("FLUSHALL");
    }
    issuer.reset();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      for (AutoCloseable c : closeAfter) {
        c.close();
      }
    } finally {
      closeAfter.clear();
    }
  }

  /** The redis-server of {@link #server()}. */
  LocalRedis redis() {
    if (redis == null) {
      throw new IllegalStateException("not a single redis-server: RedisFixture.cluster()");
    }
    return redis;
  }

  /** The Cluster of {@link #cluster()}. */
  LocalRedisCluster redisCluster() {
    if (cluster == null) {
      throw new IllegalStateException("not a Redis Cluster: RedisFixture.server()");
    }
    return cluster;
  }

  /** The test issuer, started once for the class. */
  TestIssuer issuer() {
    return issuer;
  }

  /** {@code redis://127.0.0.1:PORT/0}, or {@code redis-cluster://} and the three masters. */
  String uri() {
    return clustered ? cluster.uri() : redis.uri();
  }

  /** Every key in Redis (on every master of a Cluster). */
  List<String> keys() throws IOException {
    return clustered ? cluster.keys() : redis.keys();
  }

  /** Closes {@code c} after the test that is running. */
  <T extends AutoCloseable> T closeAfter(T c) {
    closeAfter.add(c);
    return c;
  }

  /** A shared state on this Redis whose commands wait at most {@code commandTimeout}, closed after the test. */
  RedisSharedState state(Duration commandTimeout) {
    return closeAfter(RedisSharedState.builder().uri(uri()).commandTimeout(commandTimeout).build());
  }
}
