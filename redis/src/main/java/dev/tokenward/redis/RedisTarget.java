package dev.tokenward.redis;

import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which Redis a URI names, read once by the builder: one server ({@code redis://}, {@code rediss://}), the
 * master a Sentinel names ({@code redis-sentinel://}), or a Redis Cluster ({@code redis-cluster://},
 * {@code rediss-cluster://}), with the form shown in messages and logs, which never holds the password.
 * Every message here is free of the URI for the same reason.
 */
final class RedisTarget {
  /** How the replicas reach Redis. */
  enum Kind {
    /** One server, or the master a Sentinel names: one connection. */
    SERVER,
    /** A Redis Cluster: Lettuce's cluster client, a connection per master, keys routed by slot. */
    CLUSTER
  }

  /** The URI schemes served, in the order the messages list them. */
  static final List<String> SCHEMES = List.of("redis", "rediss", "redis-sentinel", "redis-cluster", "rediss-cluster");
  private static final String SENTINEL = "redis-sentinel";
  private static final String NOT_SHOWN = " (the value is not shown: it may hold a password)";
  private static final String FORMS = "use redis://host:port[/db], rediss://host:port[/db] (TLS), "
      + "redis-sentinel://host:port[,host:port...][/db]#master or redis-cluster://host:port[,host:port...] "
      + "(rediss-cluster:// for TLS)";

  final Kind kind;
  /** The server's URI ({@link Kind#SERVER}), or the cluster's seed nodes, one URI each ({@link Kind#CLUSTER}). */
  final List<RedisURI> uris;
  /** {@code scheme://host:port/db}, sentinels and {@code #master} for Sentinel, the seed nodes for a cluster. */
  final String shown;
  /** {@code true} for rediss:// and rediss-cluster://. */
  final boolean tls;

  private RedisTarget(Kind kind, List<RedisURI> uris, String shown, boolean tls) {
    this.kind = kind;
    this.uris = List.copyOf(uris);
    this.shown = shown;
    this.tls = tls;
  }

  /**
   * Reads {@code uri}.
   *
   * @throws IllegalArgumentException naming the problem (and a scheme that is not served), never the value
   */
  static RedisTarget parse(String uri) {
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.contains("://") ? uri.substring(0, uri.indexOf("://")).toLowerCase(Locale.ROOT) : "";
    if (!SCHEMES.contains(scheme)) {
      throw new IllegalArgumentException("sharedState: " + (scheme.matches("[a-z][a-z0-9+.-]*")
          ? "the scheme " + scheme + ":// is not supported" : "not a Redis URI") + "; " + FORMS + NOT_SHOWN);
    }
    if (scheme.endsWith("-cluster")) {
      return cluster(scheme, uri.substring(scheme.length() + 3));
    }
    RedisURI parsed;
    try {
      parsed = RedisURI.create(uri);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("sharedState: the Redis URI cannot be read as " + scheme
          + "://[:password@]host:port[/db]" + (scheme.equals(SENTINEL) ? "#master" : "") + NOT_SHOWN);
    }
    if (scheme.equals(SENTINEL)) {
      if (parsed.getSentinels().isEmpty() || parsed.getSentinelMasterId() == null
          || parsed.getSentinelMasterId().isEmpty()) {
        throw new IllegalArgumentException("sharedState: a redis-sentinel:// URI names its sentinels and the "
            + "master: redis-sentinel://host:port[,host:port...][/db]#master");
      }
      List<String> hosts = new ArrayList<>();
      for (RedisURI sentinel : parsed.getSentinels()) {
        hosts.add(sentinel.getHost() + ":" + sentinel.getPort());
      }
      return new RedisTarget(Kind.SERVER, List.of(parsed), SENTINEL + "://" + String.join(",", hosts) + "/"
          + parsed.getDatabase() + "#" + parsed.getSentinelMasterId(), false);
    }
    if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
      throw new IllegalArgumentException("sharedState: the Redis URI names no host; use redis://host:port[/db]");
    }
    return new RedisTarget(Kind.SERVER, List.of(parsed),
        scheme + "://" + parsed.getHost() + ":" + parsed.getPort() + "/" + parsed.getDatabase(), parsed.isSsl());
  }

  /**
   * {@code redis-cluster://[[user]:password@]host:port[,host:port...][/0]}: each seed node becomes a
   * {@code redis://} (or {@code rediss://}) URI with the same credentials; a Cluster has database 0 only.
   */
  private static RedisTarget cluster(String scheme, String rest) {
    String form = scheme + "://[:password@]host:port[,host:port...]";
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String tail = slash < 0 ? "" : rest.substring(slash);
    if (!(tail.isEmpty() || tail.equals("/") || tail.equals("/0")) || rest.contains("?") || rest.contains("#")) {
      throw new IllegalArgumentException("sharedState: a Redis Cluster has database 0 only and takes no options; use "
          + form + NOT_SHOWN);
    }
    int at = authority.lastIndexOf('@');
    String credentials = at < 0 ? "" : authority.substring(0, at + 1);
    String hostList = authority.substring(at + 1);
    boolean tls = scheme.startsWith("rediss");
    List<RedisURI> seeds = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    for (String node : hostList.split(",", -1)) {
      int colon = node.lastIndexOf(':');
      String host = colon < 0 ? "" : node.substring(0, colon);
      String port = colon < 0 ? "" : node.substring(colon + 1);
      RedisURI seed = null;
      if (host.matches("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\]") && port.matches("[0-9]{1,5}")
          && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535) {
        try {
          seed = RedisURI.create((tls ? "rediss://" : "redis://") + credentials + host + ":" + port);
        } catch (RuntimeException e) {
          seed = null;
        }
      }
      if (seed == null) {
        throw new IllegalArgumentException("sharedState: the Redis URI cannot be read as " + form
            + ", each node a host and its port" + NOT_SHOWN);
      }
      seeds.add(seed);
      shown.add(host + ":" + port);
    }
    return new RedisTarget(Kind.CLUSTER, seeds, scheme + "://" + String.join(",", shown), tls);
  }

  /** The scheme to name a Cluster with, for a message about a server URI that turned out to name a Cluster node. */
  String clusterScheme() {
    return tls ? "rediss-cluster" : "redis-cluster";
  }
}
