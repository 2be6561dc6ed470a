package dev.tokenward.redis;

import static dev.tokenward.redis.Poll.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A master of a Redis Cluster dies and its replica takes over, under a connected {@code redis-cluster://}
 * state: meanwhile the records of that master's slots fail (never pass), and then they go to the promoted
 * replica without a restart, a record made before the failover still a replay. Its own Cluster, since the
 * failover stays.
 */
class RedisClusterFailoverTest {
  @RegisterExtension
  static final RedisFixture fixture = RedisFixture.cluster();
  private final LocalRedisCluster cluster = fixture.redisCluster();

  @Test
  void firstUseWhenAMasterDiesAndItsReplicaTakesOverThenRecordsFollowWithoutARestartAndReplaysStayRefused()
      throws Exception {
    Instant until = Instant.now().plusSeconds(300);
    String key = "before-the-failover";
    String fullKey = "tokenward:dpop:" + key;
    LocalRedis master = cluster.owner(fullKey);
    LocalRedis replica = cluster.addReplicaOf(master);
    RedisSharedState state = fixture.state(Duration.ofSeconds(2)); // its map knows the replica, as in production
    assertThat(state.dpopReplayStore().firstUse(key, until)).isTrue();
    awaitTrue("the record replicated", () -> replica.keys().contains(fullKey));

    master.stop(); // the master dies; its replica takes over without waiting for the others to vote it out
    replica.command("CLUSTER", "FAILOVER", "TAKEOVER");
    awaitTrue("the replica is a master", () -> "master".equals(((List<?>) replica.command("ROLE")).get(0)));

    // the lost connection makes the client read the map again (Lettuce's adaptive refresh): until then the
    // records of the dead master's slots fail, and a replay is never accepted
    int[] attempt = {0};
    awaitTrue("a record for the dead master's slots lands on the promoted replica", () -> {
      try {
        assertThat(state.dpopReplayStore().firstUse(key, until)).as("a replay during the failover").isFalse();
        String next = sameSlotKey(fullKey, attempt[0]++);
        return state.dpopReplayStore().firstUse(next, until) && replica.keys().contains("tokenward:dpop:" + next);
      } catch (IOException stillSwitching) {
        return false;
      }
    });
    assertThat(state.dpopReplayStore().firstUse(key, until)).as("a replay after the failover").isFalse();
    assertThat(fixture.state(Duration.ofSeconds(2)).dpopReplayStore().firstUse(key, until))
        .as("a replay through a new state").isFalse();
  }

  /**
   * A key in the same slot as {@code fullKey}, found by asking {@code CLUSTER KEYSLOT} of a live master:
   * {@code same-slot-N-M} for the smallest M whose slot matches, N keeping each attempt's key new.
   */
  private String sameSlotKey(String fullKey, int n) throws IOException {
    LocalRedis live = cluster.nodes().stream().filter(RedisClusterFailoverTest::alive).findFirst().orElseThrow();
    String slot = (String) live.command("CLUSTER", "KEYSLOT", fullKey);
    for (int m = 0; ; m++) {
      String candidate = "same-slot-" + n + "-" + m;
      if (slot.equals(live.command("CLUSTER", "KEYSLOT", "tokenward:dpop:" + candidate))) {
        return candidate;
      }
    }
  }

  /** Whether a node still answers. */
  private static boolean alive(LocalRedis node) {
    try {
      return "PONG".equals(node.command("PING"));
    } catch (IOException e) {
      return false;
    }
  }
}
