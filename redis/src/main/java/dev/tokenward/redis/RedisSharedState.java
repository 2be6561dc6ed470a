package dev.tokenward.redis;

import dev.tokenward.core.DpopReplayStore;
import dev.tokenward.core.SharedOnlineCache;
import dev.tokenward.core.SharedState;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.Event;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * DPoP replay records and the issuer's userinfo/introspection answers in one Redis that every
 * replica of a service names, over one Lettuce connection: a proof used at one replica is a replay at
 * all of them, and one opaque token costs one call to the issuer across them.
 *
 * <pre>{@code
 * AccessTokenValidator validator = AccessTokenValidator.builder()
 *     .issuer("https://tenant.auth0.com/").audience("https://api.example.com")
 *     .sharedState(RedisSharedState.builder().uri("redis://redis.internal:6379/0").build())
 *     .build();   // or TOKENWARD_REDIS_URI=redis://redis.internal:6379/0 with TokenwardConfig
 * }</pre>
 *
 * <p>A replay record is {@code SET <prefix>dpop:<key> 1 NX PX <ms until the proof is too old>}: atomic,
 * so of two replicas given the same proof at once exactly one wins. An answer is
 * {@code SET <prefix>online:<key> <json> PX <ms>}; of the replicas missing one token at once, the one
 * that takes {@code SET <prefix>online-lock:<key> <random nonce> NX PX <the issuer's call timeout>} asks
 * the issuer while the others wait for its answer, and it frees the lock (a script that deletes it only
 * while it still holds its nonce) once the answer is stored. Every key is a SHA-256 made by the
 * validator, never a {@code jti} or a token. Redis that cannot be reached is never a silent pass: the
 * replay store throws (the DPoP request gets 503 {@code temporarily_unavailable} with {@code Retry-After}), the answers cache
 * throws (the validator asks the issuer itself). Commands wait at most the command timeout (default
 * {@value #DEFAULT_COMMAND_TIMEOUT_MILLIS} ms), a connection the connect timeout (default
 * {@value #DEFAULT_CONNECT_TIMEOUT_MILLIS} ms); while the connection is down commands fail at once
 * rather than queue, and it is re-established in the background, every second at most. A Redis that is
 * down at start is not an error: the first connection is retried the same way.
 *
 * <p>A Redis Cluster ({@code redis-cluster://}) is reached through Lettuce's cluster client, each key at the
 * master of its slot; no command names two keys, so the record, the answer and the lock of one token may
 * live on different masters. Before any command, Redis is asked what it is: a Cluster node named as a
 * single server (whose other nodes would answer {@code MOVED}) is refused, at {@link Builder#build()} if
 * it answers then, else for good when it first answers. {@link #close()} (called by the validator that
 * owns it) closes the connections and ends every thread it started.
 */
public final class RedisSharedState implements SharedState {
  /** The default wait for one Redis command, in milliseconds. */
  public static final long DEFAULT_COMMAND_TIMEOUT_MILLIS = 500;
  /** The default wait for a connection to Redis, in milliseconds. */
  public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 1000;
  /** The default prefix of every key, so that tokenward's keys never meet an application's. */
  public static final String DEFAULT_KEY_PREFIX = "tokenward:";
  /** The URI schemes served: plain, TLS, a master found through Redis Sentinel, and Redis Cluster (plain or TLS). */
  static final List<String> SCHEMES = RedisTarget.SCHEMES;
  /** The longest pause between two attempts to reach a Redis that is down. */
  static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);
  /** How often the cluster client reads the Cluster's map again when nothing prompted it. */
  static final Duration CLUSTER_REFRESH_PERIOD = Duration.ofSeconds(30);
  /** The shortest pause between two reads of the map prompted by a redirection or a lost node. */
  static final Duration CLUSTER_ADAPTIVE_REFRESH_PAUSE = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(RedisSharedState.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  /** Deletes a lock only while it still holds this holder's nonce: never a lock another replica took after it expired. */
  private static final String RELEASE =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

  private final RedisTarget target;
  private final String shown; // the target without its password
  private final Duration commandTimeout;
  private final Duration connectTimeout;
  private final String dpopPrefix;
  private final String onlinePrefix;
  private final String lockPrefix;
  private final Clock clock;
  private final String threadPrefix;
  private final ClientResources resources;
  private final RedisClient client; // a server or a Sentinel's master; null for a Cluster
  private final RedisClusterClient clusterClient; // a Cluster; null otherwise
  private final Disposable events; // a Cluster: the subscription to its map's changes; null otherwise
  private final DpopReplayStore replayStore = this::firstUse;
  private final SharedOnlineCache onlineCache = new SharedOnlineCache() {
    @Override
    public Optional<String> get(String key) throws IOException {
      return Optional.ofNullable(call(c -> c.get(onlinePrefix + key), "GET"));
    }

    @Override
    public void put(String key, String answer, Duration ttl) throws IOException {
      call(c -> c.set(onlinePrefix + key, answer, SetArgs.Builder.px(Math.max(1, ttl.toMillis()))), "SET");
    }

    @Override
    public Optional<Lease> tryLock(String key, Duration ttl) throws IOException {
      String lockKey = lockPrefix + key;
      String nonce = UUID.randomUUID().toString(); // random, never derived from the token
      String taken = call(c -> c.set(lockKey, nonce, SetArgs.Builder.nx().px(Math.max(1, ttl.toMillis()))), "SET NX");
      if (!"OK".equals(taken)) {
        return Optional.empty();
      }
      // one key: in a Cluster the script runs on the node of the lock's slot, wherever the answer's key lives
      return Optional.of(() -> call(c -> c.<Long>eval(RELEASE, ScriptOutputType.INTEGER, new String[] {lockKey}, nonce),
          "EVAL (release)"));
    }

    @Override
    public String toString() {
      return "RedisSharedState.onlineCache{" + shown + "}";
    }
  };

  /** An open connection and its commands: a server's, or the cluster client's (which routes each key to its master). */
  private record Connection(StatefulConnection<String, String> stateful,
      RedisClusterAsyncCommands<String, String> commands) {}

  /** Redis answered, and what it is cannot be used as configured: final, never retried. */
  private static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private final Object lock = new Object();
  private CompletableFuture<Connection> connection; // guarded by lock; null before the first attempt
  private long nextAttemptNanos; // guarded by lock: no new connection attempt before it after a failed one
  private String refusal; // guarded by lock: why Redis is not used, once decided; never cleared
  private boolean closed; // guarded by lock

  private RedisSharedState(Builder b) {
    this.target = b.target;
    this.shown = b.target.shown;
    this.commandTimeout = b.commandTimeout;
    this.connectTimeout = b.connectTimeout;
    this.dpopPrefix = b.keyPrefix + "dpop:";
    this.onlinePrefix = b.keyPrefix + "online:";
    this.lockPrefix = b.keyPrefix + "online-lock:";
    this.clock = b.clock;
    this.threadPrefix = "tokenward-redis-" + INSTANCES.incrementAndGet() + "-";
    for (RedisURI u : target.uris) {
      u.setTimeout(commandTimeout);
    }
    this.resources = DefaultClientResources.builder()
        .ioThreadPoolSize(2) // Lettuce's minimum
        .computationThreadPoolSize(1)
        .threadFactoryProvider(this::threadFactory)
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
        .build();
    SocketOptions socket = SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build();
    if (target.kind == RedisTarget.Kind.CLUSTER) {
      this.client = null;
      this.events = resources.eventBus().get().subscribe(this::onClusterEvent);
      this.clusterClient = RedisClusterClient.create(resources, target.uris);
      clusterClient.setOptions(ClusterClientOptions.builder()
          .autoReconnect(true)
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          .socketOptions(socket)
          .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
          .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
              .enablePeriodicRefresh(CLUSTER_REFRESH_PERIOD)
              .enableAllAdaptiveRefreshTriggers() // MOVED, ASK, a node that keeps reconnecting, an uncovered slot
              .adaptiveRefreshTriggersTimeout(CLUSTER_ADAPTIVE_REFRESH_PAUSE)
              .build())
          .build());
    } else {
      this.clusterClient = null;
      this.events = null;
      this.client = RedisClient.create(resources);
      client.setOptions(ClientOptions.builder()
          .autoReconnect(true)
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          .socketOptions(socket)
          .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
          .protocolVersion(b.resp2 ? ProtocolVersion.RESP2 : ClientOptions.DEFAULT_PROTOCOL_VERSION)
          .build());
    }
  }

  /** Starts a configuration; {@link Builder#uri(String)} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Where DPoP proofs are recorded: {@code SET NX PX}, throwing when Redis cannot answer. */
  @Override
  public DpopReplayStore dpopReplayStore() {
    return replayStore;
  }

  /**
   * Where the issuer's answers are shared: {@code GET}, {@code SET PX} and the {@code SET NX PX} lock,
   * throwing when Redis cannot answer.
   */
  @Override
  public SharedOnlineCache onlineCache() {
    return onlineCache;
  }

  private boolean firstUse(String key, Instant expiresAt) throws IOException {
    long ttl = Math.max(1, expiresAt.toEpochMilli() - clock.millis());
    String answer = call(c -> c.set(dpopPrefix + key, "1", SetArgs.Builder.nx().px(ttl)), "SET NX");
    return "OK".equals(answer);
  }

  private interface Command<T> {
    CompletionStage<T> run(RedisClusterAsyncCommands<String, String> commands);
  }

  /** Runs one command, waiting at most the command timeout; every failure is an {@link IOException} naming Redis, never a key. */
  private <T> T call(Command<T> command, String what) throws IOException {
    CompletableFuture<T> result = command.run(connection().commands()).toCompletableFuture();
    try {
      return result.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      result.cancel(false);
      throw new IOException("Redis at " + shown + " did not answer " + what + " within " + commandTimeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw new IOException("Redis at " + shown + " failed " + what + ": " + describe(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for Redis at " + shown);
    }
  }

  /**
   * The connection: made on first use, and again (at most once a second) after a failed attempt; none
   * once Redis was refused. A connection counts as made only once Redis said what it is.
   */
  private Connection connection() throws IOException {
    CompletableFuture<Connection> current;
    synchronized (lock) {
      if (closed) {
        throw new IOException("the Redis shared state for " + shown + " is closed");
      }
      if (refusal != null) {
        throw new IOException(refusal);
      }
      current = connection;
      boolean failed = current != null && current.isCompletedExceptionally();
      if (current == null || (failed && System.nanoTime() - nextAttemptNanos >= 0)) {
        current = connect();
        connection = current;
        nextAttemptNanos = System.nanoTime() + MAX_RECONNECT_DELAY.toNanos();
      }
    }
    try {
      return current.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException("no connection to Redis at " + shown + " within " + connectTimeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      String refused = refused(e.getCause());
      if (refused != null) {
        throw new IOException(refused);
      }
      throw new IOException("cannot connect to Redis at " + shown + ": " + describe(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to Redis at " + shown);
    }
  }

  /**
   * The first attempt, made by {@link Builder#build()}: why Redis cannot be used, if it answered within
   * the connect timeout (and the command timeout that follows) and said so; {@code null} when it is
   * usable or has not answered yet (then the next command connects as usual).
   */
  private String firstConnection() {
    CompletableFuture<Connection> first;
    synchronized (lock) {
      first = connect();
      connection = first;
      nextAttemptNanos = System.nanoTime() + MAX_RECONNECT_DELAY.toNanos();
    }
    try {
      first.get(connectTimeout.plus(commandTimeout).toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
      return cause instanceof Refused ? cause.getMessage() : null;
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Records a refusal found after start, logging it once at ERROR (at start it fails {@link Builder#build()} instead). */
  private String refused(Throwable failure) {
    Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
    if (!(cause instanceof Refused)) {
      return null;
    }
    String message = "Redis at " + cause.getMessage() + "; until the service restarts with another URI, DPoP "
        + "requests are answered 503 and opaque tokens are asked about at the issuer";
    synchronized (lock) {
      if (refusal != null) {
        return refusal;
      }
      refusal = message;
    }
    LOG.error("tokenward-redis will not use this Redis: {}", message);
    return message;
  }

  /** Connects and asks what answered: a Cluster node named as a server is refused, and so is a server named as a Cluster. */
  private CompletableFuture<Connection> connect() {
    if (clusterClient != null) {
      // the async connect needs the Cluster's map: read it first (again on every attempt, from the nodes named)
      return clusterClient.refreshPartitionsAsync().toCompletableFuture()
          .thenCompose(loaded -> clusterClient.connectAsync(StringCodec.UTF8))
          .thenCompose(c -> connectToMasters(c).thenApply(all -> c)).handle((c, failure) -> {
        if (failure != null) {
          if (says(failure, "cluster support disabled")) {
            throw new Refused(shown + " does not name a Redis Cluster (its node answers: cluster support disabled); "
                + "name a single Redis with " + (target.tls ? "rediss" : "redis") + "://host:port[/db] (the password "
                + "is not shown)");
          }
          throw failure instanceof CompletionException ce ? ce : new CompletionException(failure);
        }
        return new Connection(c, c.async());
      });
    }
    return client.connectAsync(StringCodec.UTF8, target.uris.get(0)).toCompletableFuture()
        .thenCompose(c -> mode(c).handle((mode, failure) -> {
          if (failure != null || !"standalone".equals(mode)) {
            c.closeAsync();
          }
          if (failure != null) {
            throw failure instanceof CompletionException ce ? ce : new CompletionException(failure);
          }
          if ("cluster".equals(mode)) {
            throw new Refused(shown + " is a node of a Redis Cluster (redis_mode:cluster), which tokenward does not "
                + "use as a single Redis: records whose keys live on other nodes would be answered MOVED; name the "
                + "Cluster with " + target.clusterScheme() + "://[:password@]host:port[,host:port...] (the password "
                + "is not shown)");
          }
          if ("sentinel".equals(mode)) {
            throw new Refused(shown + " is a Redis Sentinel, not a Redis server; name the master it watches with "
                + "redis-sentinel://host:port[,host:port...][/db]#master (the password is not shown)");
          }
          if (!"standalone".equals(mode)) {
            throw new CompletionException(new IOException("cannot tell what " + shown + " is (redis_mode: " + mode
                + "); a single Redis says standalone"));
          }
          return new Connection(c, c.async());
        }));
  }

  /**
   * Opens a connection to every master now. Lettuce connects to a node on the first command for one of
   * its slots, and with commands rejected while disconnected it refuses that first command; connected
   * beforehand, no record is refused for that. A master that cannot be reached does not hold up the others:
   * its commands fail until it answers. Called again whenever the Cluster's map changes (a new master).
   */
  private static CompletableFuture<Void> connectToMasters(StatefulRedisClusterConnection<String, String> c) {
    List<CompletableFuture<?>> each = new ArrayList<>();
    for (RedisClusterNode node : c.getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.hasNoSlots()) {
        each.add(c.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort()).handle((n, failure) -> n));
      }
    }
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new));
  }

  /** On a change of the Cluster's map, connects to the masters that are new in it (see {@link #connectToMasters}). */
  private void onClusterEvent(Event event) {
    if (!(event instanceof ClusterTopologyChangedEvent)) {
      return;
    }
    CompletableFuture<Connection> current;
    synchronized (lock) {
      current = closed ? null : connection;
    }
    if (current != null && current.isDone() && !current.isCompletedExceptionally()
        && current.join().stateful() instanceof StatefulRedisClusterConnection<String, String> c) {
      connectToMasters(c);
    }
  }

  /**
   * What the server says it is: {@code standalone}, {@code cluster} or {@code sentinel}. The HELLO of the
   * handshake (Redis 6 and later) has told it, so no command is sent; after a handshake without HELLO
   * ({@code RESP2}, Redis before 6) {@code INFO server}'s {@code redis_mode} does.
   */
  private CompletableFuture<String> mode(StatefulRedisConnection<String, String> c) {
    if (c instanceof StatefulRedisConnectionImpl<String, String> impl && impl.getConnectionState().getMode() != null) {
      return CompletableFuture.completedFuture(impl.getConnectionState().getMode());
    }
    return c.async().info("server").toCompletableFuture().thenApply(info -> {
      for (String line : info.split("\\r?\\n")) {
        if (line.startsWith("redis_mode:")) {
          return line.substring("redis_mode:".length()).trim();
        }
      }
      return "unknown (INFO server has no redis_mode)";
    });
  }

  private static boolean says(Throwable t, String text) {
    for (Throwable e = t; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e.getMessage() != null && e.getMessage().contains(text)) {
        return true;
      }
      for (Throwable s : e.getSuppressed()) {
        if (says(s, text)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
  }

  private ThreadFactory threadFactory(String pool) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, threadPrefix + pool + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** For tests: reads a Cluster's map now, as the periodic refresh does every {@link #CLUSTER_REFRESH_PERIOD}. */
  void refreshClusterMap() {
    if (clusterClient == null) {
      throw new IllegalStateException("not a Redis Cluster: " + shown);
    }
    clusterClient.refreshPartitions();
  }

  /** The prefix of the names of the threads this instance starts (Lettuce's event loop, computation and timer). */
  String threadNamePrefix() {
    return threadPrefix;
  }

  /** Closes the connection and ends the client's threads, waiting at most a few seconds; idempotent. */
  @Override
  public void close() {
    CompletableFuture<Connection> current;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      current = connection;
    }
    if (current != null) {
      current.cancel(false);
      if (current.isDone() && !current.isCompletedExceptionally() && !current.isCancelled()) {
        current.join().stateful().close();
      }
    }
    if (events != null) {
      events.dispose();
    }
    (client != null ? client : clusterClient).shutdown(0, 2, TimeUnit.SECONDS);
    try {
      resources.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // the threads are daemons: a slow shutdown cannot keep the JVM alive
    }
  }

  /** The Redis in use, without a password. */
  @Override
  public String toString() {
    return "RedisSharedState{" + shown + ", prefix=" + dpopPrefix.substring(0, dpopPrefix.length() - 5) + "}";
  }

  /** Fail-fast configuration of a {@link RedisSharedState}; every default is listed on its setter. */
  public static final class Builder {
    private RedisTarget target;
    private Duration commandTimeout = Duration.ofMillis(DEFAULT_COMMAND_TIMEOUT_MILLIS);
    private Duration connectTimeout = Duration.ofMillis(DEFAULT_CONNECT_TIMEOUT_MILLIS);
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Clock clock = Clock.systemUTC();
    private boolean resp2; // tests only: the handshake without HELLO, as with a Redis older than 6

    private Builder() {}

    /**
     * The Redis every replica names: {@code redis://[:password@]host:port[/db]}, {@code rediss://} for TLS,
     * {@code redis-sentinel://[:password@]host:port[,host2:port2...][/db]#master} for the master a
     * Redis Sentinel names (looked up again on every reconnection, so a failover needs no restart), or
     * {@code redis-cluster://[:password@]host:port[,host2:port2...]} for a Redis Cluster
     * ({@code rediss-cluster://} for TLS; the nodes named are where the cluster's map is first read).
     * Required. Any other scheme ({@code rediss-sentinel}, {@code redis-socket}) fails here, naming the
     * scheme; a bad URI fails here too, and the message never repeats it (it may hold a password). A
     * {@code redis://} URI that names a Cluster node is refused once Redis answers (see {@link #build()}).
     */
    public Builder uri(String uri) {
      this.target = RedisTarget.parse(uri);
      return this;
    }

    /** How long one command may take before it counts as a failure; default 500 ms, 10 ms to 60 s. */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = bounded("commandTimeout", timeout);
      return this;
    }

    /** How long establishing the connection may take; default 1 s, 10 ms to 60 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = bounded("connectTimeout", timeout);
      return this;
    }

    /**
     * The prefix of every key ({@code PREFIXdpop:...}, {@code PREFIXonline:...}, {@code PREFIXonline-lock:...}); default
     * {@value RedisSharedState#DEFAULT_KEY_PREFIX}. Give services that must not share records different prefixes.
     */
    public Builder keyPrefix(String prefix) {
      Objects.requireNonNull(prefix, "keyPrefix");
      if (prefix.isEmpty() || prefix.length() > 64 || !prefix.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException("keyPrefix: 1 to 64 printable ASCII characters without spaces, got "
            + prefix.length() + " characters");
      }
      this.keyPrefix = prefix;
      return this;
    }

    /** The clock that turns a record's end into a TTL; default {@link Clock#systemUTC()} (give the validator's). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Package-private, for tests: connect without HELLO (RESP2), as to a Redis older than 6. */
    Builder resp2() {
      this.resp2 = true;
      return this;
    }

    /**
     * The shared state, connected: when Redis answers within the connect timeout, it is asked now what
     * it is, and a Cluster node named by {@code redis://} or {@code rediss://} (or a Sentinel named as a
     * server, or a {@code redis-cluster://} whose nodes are not a Cluster) fails here, naming the URI
     * without its password and the scheme to use. A Redis that is down or slow now is not an error: the
     * same question is asked when it first answers, and until then, and for good if the answer is no,
     * every command fails (DPoP requests get 503, opaque tokens go to the issuer).
     */
    public RedisSharedState build() {
      if (target == null) {
        throw new IllegalStateException("uri: required, e.g. redis://127.0.0.1:6379/0");
      }
      RedisSharedState state = new RedisSharedState(this);
      String refusal = state.firstConnection();
      if (refusal != null) {
        state.close();
        throw new IllegalArgumentException("sharedState: " + refusal);
      }
      return state;
    }

    private static Duration bounded(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.compareTo(Duration.ofMillis(10)) < 0 || d.compareTo(Duration.ofSeconds(60)) > 0) {
        throw new IllegalArgumentException(name + ": must be between 10 ms and 60 s, got " + d);
      }
      return d;
    }
  }
}
