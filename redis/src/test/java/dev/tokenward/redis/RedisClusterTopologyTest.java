package dev.tokenward.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Redis Cluster whose map changes under a connected {@code redis-cluster://} state: a master that joins
 * and takes a slot. Its own Cluster, since the change stays ({@link RedisClusterTest}'s masters stay three).
 */
class RedisClusterTopologyTest {
  @RegisterExtension
  static final RedisFixture fixture = RedisFixture.cluster();
  private final LocalRedisCluster cluster = fixture.redisCluster();

  @Test
  void firstUseWhenANewMasterTakesASlotThenItIsConnectedOnceTheMapIsReadAndItsFirstRecordIsNotRefused()
      throws Exception {
    RedisSharedState state = fixture.state(Duration.ofSeconds(5));
    Instant until = Instant.now().plusSeconds(300);
    assertThat(state.dpopReplayStore().firstUse("before", until)).isTrue();

    LocalRedis joined = cluster.addMaster();
    String key = "on-the-new-master";
    String fullKey = "tokenward:dpop:" + key;
    LocalRedis from = cluster.owner(fullKey);
    cluster.moveSlot(Long.parseLong((String) from.command("CLUSTER", "KEYSLOT", fullKey)), from, joined);
    assertThat(clients(joined)).as("clients of the new master before the map is read").isEmpty();

    // the periodic refresh, now: the map names the new master, which is connected without waiting for a command
    state.refreshClusterMap();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    // a connection for commands, made ahead: its handshake (HELLO 3) done and no command yet; the map's own
    // reads send CLUSTER NODES and close
    while (clients(joined).stream().noneMatch(RedisClusterTopologyTest::readyForCommands)
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(clients(joined)).as("connections of the new master after the map is read")
        .anyMatch(RedisClusterTopologyTest::readyForCommands);
    Thread.sleep(200); // the handshake's last reply on its way back: then Lettuce counts the connection as made

    // without that connection, Lettuce (commands rejected while disconnected) would refuse this first command
    assertThat(state.dpopReplayStore().firstUse(key, until)).isTrue();
    assertThat(joined.keys()).containsExactly(fullKey);
    assertThat(fixture.state(Duration.ofSeconds(5)).dpopReplayStore().firstUse(key, until)).isFalse();
  }

  private static boolean readyForCommands(String clientListLine) {
    return clientListLine.contains(" resp=3") && clientListLine.contains(" cmd=NULL ");
  }

  /** The client connections of {@code node}, less the probe that asks ({@code CLIENT LIST}). */
  private static List<String> clients(LocalRedis node) throws IOException {
    return ((String) node.command("CLIENT", "LIST")).lines().filter(l -> !l.contains("cmd=client|list")).toList();
  }
}
