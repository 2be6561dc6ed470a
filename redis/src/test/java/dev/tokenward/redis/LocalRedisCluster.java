package dev.tokenward.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster of three masters and no replicas, for tests: three {@link LocalRedis#startClusterEnabled()
 * cluster-enabled redis-servers} on free loopback ports, joined by {@code redis-cli --cluster create}
 * (Debian's {@code redis-tools}, which {@code redis-server} depends on), each master owning a third of the
 * 16,384 slots. {@link #close()} stops them all. No data is written to disk but each node's node file.
 */
final class LocalRedisCluster implements AutoCloseable {
  private static final Duration READY_WAIT = Duration.ofSeconds(30);

  private final List<LocalRedis> nodes;

  private LocalRedisCluster(List<LocalRedis> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /** Starts three masters and waits until every one of them says {@code cluster_state:ok}. */
  static LocalRedisCluster start() throws IOException {
    List<LocalRedis> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(LocalRedis.startClusterEnabled());
      }
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      for (LocalRedis node : nodes) {
        create.add("127.0.0.1:" + node.port());
      }
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      Process cli = new ProcessBuilder(create).redirectErrorStream(true).start();
      String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!cli.waitFor(30, TimeUnit.SECONDS) || cli.exitValue() != 0) {
        throw new IOException("redis-cli --cluster create failed: " + output.strip());
      }
      LocalRedisCluster cluster = new LocalRedisCluster(nodes);
      long deadline = System.nanoTime() + READY_WAIT.toNanos();
      while (!cluster.ready()) {
        if (System.nanoTime() > deadline) {
          throw new IOException("the cluster did not reach cluster_state:ok within " + READY_WAIT.toSeconds() + " s");
        }
        Thread.sleep(20);
      }
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      nodes.forEach(LocalRedis::close);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw e instanceof IOException io ? io : new IOException("starting the cluster: " + e, e);
    }
  }

  private boolean ready() throws IOException {
    for (LocalRedis node : nodes) {
      String info = (String) node.command("CLUSTER", "INFO");
      if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:3")) {
        return false;
      }
    }
    return true;
  }

  /** {@code redis-cluster://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3}. */
  String uri() {
    return uri("redis-cluster");
  }

  /** The seed nodes under {@code scheme}: {@code scheme://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3}. */
  String uri(String scheme) {
    List<String> hosts = new ArrayList<>();
    for (LocalRedis node : nodes) {
      hosts.add("127.0.0.1:" + node.port());
    }
    return scheme + "://" + String.join(",", hosts);
  }

  /** The three masters, each reachable on its own for {@code KEYS}, {@code PTTL}, {@code CLUSTER} commands. */
  List<LocalRedis> nodes() {
    return nodes;
  }

  /** Empties every master. */
  void flush() throws IOException {
    for (LocalRedis node : nodes) {
      node.command("FLUSHALL");
    }
  }

  /** Every key on every master. */
  List<String> keys() throws IOException {
    List<String> all = new ArrayList<>();
    for (LocalRedis node : nodes) {
      all.addAll(node.keys());
    }
    return all;
  }

  /** The master that owns {@code key}'s slot now, as that master itself sees it. */
  LocalRedis owner(String key) throws IOException {
    long slot = Long.parseLong((String) nodes.get(0).command("CLUSTER", "KEYSLOT", key));
    for (LocalRedis node : nodes) {
      if (owns(node, slot)) {
        return node;
      }
    }
    throw new IOException("no master owns slot " + slot);
  }

  /** Whether {@code node} itself owns {@code slot} (its {@code myself} line of {@code CLUSTER NODES}). */
  static boolean owns(LocalRedis node, long slot) throws IOException {
    for (String line : ((String) node.command("CLUSTER", "NODES")).split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length < 3 || !f[2].contains("myself")) {
        continue;
      }
      for (int i = 8; i < f.length; i++) {
        String range = f[i];
        if (range.startsWith("[")) {
          continue; // a slot being migrated
        }
        int dash = range.indexOf('-');
        long from = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
        long to = dash < 0 ? from : Long.parseLong(range.substring(dash + 1));
        if (slot >= from && slot <= to) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code CLUSTER MYID} of {@code node}. */
  static String id(LocalRedis node) throws IOException {
    return (String) node.command("CLUSTER", "MYID");
  }

  @Override
  public void close() {
    nodes.forEach(LocalRedis::close);
  }
}
