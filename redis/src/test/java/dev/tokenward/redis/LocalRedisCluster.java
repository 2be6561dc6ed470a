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
  private final List<Integer> tlsPorts; // empty without TLS
  private final List<LocalRedis> replicas = new ArrayList<>();

  private LocalRedisCluster(List<LocalRedis> nodes, List<Integer> tlsPorts) {
    this.nodes = new ArrayList<>(nodes);
    this.tlsPorts = List.copyOf(tlsPorts);
  }

  /** Starts three masters and waits until every one of them says {@code cluster_state:ok}. */
  static LocalRedisCluster start() throws IOException {
    return start(null);
  }

  /**
   * As {@link #start()}, each master also speaking TLS on a port of its own ({@code tls-cluster yes}: the
   * masters talk TLS to each other too, and a client on a TLS port is told the others' TLS ports). The
   * plain ports stay open on loopback for the test's own probes.
   */
  static LocalRedisCluster startTls(RedisTlsFiles tls) throws IOException {
    return start(tls);
  }

  private static LocalRedisCluster start(RedisTlsFiles tls) throws IOException {
    List<LocalRedis> nodes = new ArrayList<>();
    List<Integer> tlsPorts = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        if (tls == null) {
          nodes.add(LocalRedis.startClusterEnabled());
        } else {
          nodes.add(startTlsNode(tls, tlsPorts));
        }
      }
      List<String> create = new ArrayList<>(List.of("redis-cli"));
      if (tls != null) {
        create.addAll(List.of("--tls", "--cacert", tls.caCertificate().toString()));
      }
      create.addAll(List.of("--cluster", "create"));
      for (int i = 0; i < nodes.size(); i++) {
        create.add("127.0.0.1:" + (tls == null ? nodes.get(i).port() : tlsPorts.get(i)));
      }
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      Process cli = new ProcessBuilder(create).redirectErrorStream(true).start();
      String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!cli.waitFor(30, TimeUnit.SECONDS) || cli.exitValue() != 0) {
        throw new IOException("redis-cli --cluster create failed: " + output.strip());
      }
      LocalRedisCluster cluster = new LocalRedisCluster(nodes, tlsPorts);
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

  /**
   * A TLS Cluster node, its TLS port added to {@code tlsPorts}. That port is found free here but bound
   * by redis-server, so another process can take it in between: a node that cannot start is tried
   * again with another TLS port (and plain port), three times at most.
   */
  private static LocalRedis startTlsNode(RedisTlsFiles tls, List<Integer> tlsPorts) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int tlsPort = LocalRedis.freePort();
      List<String> options = new ArrayList<>(tls.serverOptions(tlsPort));
      options.addAll(List.of("--tls-cluster", "yes"));
      try {
        LocalRedis node = LocalRedis.startClusterEnabled(options);
        tlsPorts.add(tlsPort);
        return node;
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  private boolean ready() throws IOException {
    for (LocalRedis node : nodes) {
      String info = (String) node.command("CLUSTER", "INFO");
      if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + (nodes.size() + replicas.size()))) {
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

  /** {@code rediss-cluster://127.0.0.1:T1,127.0.0.1:T2,127.0.0.1:T3}, the masters' TLS ports ({@link #startTls}). */
  String tlsUri() {
    if (tlsPorts.isEmpty()) {
      throw new IllegalStateException("started without TLS");
    }
    List<String> hosts = new ArrayList<>();
    for (int port : tlsPorts) {
      hosts.add("127.0.0.1:" + port);
    }
    return "rediss-cluster://" + String.join(",", hosts);
  }

  /** The masters, each reachable on its own for {@code KEYS}, {@code PTTL}, {@code CLUSTER} commands. */
  List<LocalRedis> nodes() {
    return List.copyOf(nodes);
  }

  /** Starts one more master (without TLS), owning no slot, and waits until every master knows it. */
  LocalRedis addMaster() throws IOException, InterruptedException {
    LocalRedis node = LocalRedis.startClusterEnabled();
    for (LocalRedis known : nodes) { // each master meets it at once, rather than hearing of it by gossip
      known.command("CLUSTER", "MEET", "127.0.0.1", String.valueOf(node.port()));
    }
    nodes.add(node);
    long deadline = System.nanoTime() + READY_WAIT.toNanos();
    while (!ready()) {
      if (System.nanoTime() > deadline) {
        throw new IOException("the new master did not join within " + READY_WAIT.toSeconds() + " s");
      }
      Thread.sleep(20);
    }
    return node;
  }

  /**
   * Starts a replica of {@code master} (not counted among {@link #nodes()}, closed with the Cluster) and waits
   * until it is in sync with it.
   */
  LocalRedis addReplicaOf(LocalRedis master) throws IOException, InterruptedException {
    master.command("CONFIG", "SET", "repl-diskless-sync-delay", "0"); // Redis waits 5 s for more replicas by default
    LocalRedis node = LocalRedis.startClusterEnabled();
    replicas.add(node);
    for (LocalRedis known : nodes) {
      known.command("CLUSTER", "MEET", "127.0.0.1", String.valueOf(node.port()));
    }
    long deadline = System.nanoTime() + READY_WAIT.toNanos();
    String masterId = id(master);
    while (true) {
      try {
        if ("OK".equals(node.command("CLUSTER", "REPLICATE", masterId))) {
          break;
        }
      } catch (IOException notKnownYet) {
        // ERR Unknown node: the handshake is still under way
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("the replica was not accepted within " + READY_WAIT.toSeconds() + " s");
      }
      Thread.sleep(20);
    }
    String replicaId = id(node);
    while (!((String) node.command("INFO", "replication")).contains("master_link_status:up")
        || !everyMasterSees(replicaId + " 127.0.0.1:" + node.port(), "slave " + masterId)) {
      if (System.nanoTime() > deadline) {
        throw new IOException("the replica did not sync within " + READY_WAIT.toSeconds() + " s");
      }
      Thread.sleep(20);
    }
    return node;
  }

  /** Whether every master's {@code CLUSTER NODES} has a line starting with {@code start} and containing {@code part}. */
  private boolean everyMasterSees(String start, String part) throws IOException {
    for (LocalRedis master : nodes) {
      boolean seen = false;
      for (String line : ((String) master.command("CLUSTER", "NODES")).split("\n")) {
        seen |= line.startsWith(start) && line.contains(part) && !line.contains("handshake");
      }
      if (!seen) {
        return false;
      }
    }
    return true;
  }

  /**
   * Moves an empty slot from one master to another the way resharding does (importing, migrating, then every
   * master told the new owner), and returns once both say so. The Cluster's clients still hold the old map.
   */
  void moveSlot(long slot, LocalRedis from, LocalRedis to) throws IOException {
    String s = String.valueOf(slot);
    String fromId = id(from);
    String toId = id(to);
    to.command("CLUSTER", "SETSLOT", s, "IMPORTING", fromId);
    from.command("CLUSTER", "SETSLOT", s, "MIGRATING", toId);
    to.command("CLUSTER", "SETSLOT", s, "NODE", toId);
    from.command("CLUSTER", "SETSLOT", s, "NODE", toId);
    for (LocalRedis n : nodes) {
      n.command("CLUSTER", "SETSLOT", s, "NODE", toId);
    }
    if (!owns(to, slot) || owns(from, slot)) {
      throw new IOException("slot " + slot + " did not move");
    }
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
    replicas.forEach(LocalRedis::close);
    nodes.forEach(LocalRedis::close);
  }
}
