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
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

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
 * down at start is not an error: the first connection is retried the same way. {@link #close()}
 * (called by the validator that owns it) closes the connection and ends every thread it started.
 */
public final class RedisSharedState implements SharedState {
  /** The default wait for one Redis command, in milliseconds. */
  public static final long DEFAULT_COMMAND_TIMEOUT_MILLIS = 500;
  /** The default wait for a connection to Redis, in milliseconds. */
  public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 1000;
  /** The default prefix of every key, so that tokenward's keys never meet an application's. */
  public static final String DEFAULT_KEY_PREFIX = "tokenward:";
  /** The URI schemes served: plain, TLS, and a master found through Redis Sentinel. */
  static final List<String> SCHEMES = List.of("redis", "rediss", "redis-sentinel");
  private static final String SENTINEL = "redis-sentinel";
  /** The longest pause between two attempts to reach a Redis that is down. */
  static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

  private static final AtomicInteger INSTANCES = new AtomicInteger();
  /** Deletes a lock only while it still holds this holder's nonce: never a lock another replica took after it expired. */
  private static final String RELEASE =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

  private final RedisURI uri;
  private final String shown; // scheme://host:port/db (sentinels and #master for Sentinel), never the password
  private final Duration commandTimeout;
  private final Duration connectTimeout;
  private final String dpopPrefix;
  private final String onlinePrefix;
  private final String lockPrefix;
  private final Clock clock;
  private final String threadPrefix;
  private final ClientResources resources;
  private final RedisClient client;
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
      return Optional.of(() -> call(c -> c.<Long>eval(RELEASE, ScriptOutputType.INTEGER, new String[] {lockKey}, nonce),
          "EVAL (release)"));
    }

    @Override
    public String toString() {
      return "RedisSharedState.onlineCache{" + shown + "}";
    }
  };

  private final Object lock = new Object();
  private CompletableFuture<StatefulRedisConnection<String, String>> connection; // guarded by lock; null before the first use
  private long nextAttemptNanos; // guarded by lock: no new connection attempt before it after a failed one
  private boolean closed; // guarded by lock

  private RedisSharedState(Builder b) {
    this.uri = b.uri;
    this.shown = b.shown;
    this.commandTimeout = b.commandTimeout;
    this.connectTimeout = b.connectTimeout;
    this.dpopPrefix = b.keyPrefix + "dpop:";
    this.onlinePrefix = b.keyPrefix + "online:";
    this.lockPrefix = b.keyPrefix + "online-lock:";
    this.clock = b.clock;
    this.threadPrefix = "tokenward-redis-" + INSTANCES.incrementAndGet() + "-";
    this.uri.setTimeout(commandTimeout);
    this.resources = DefaultClientResources.builder()
        .ioThreadPoolSize(2) // Lettuce's minimum
        .computationThreadPoolSize(1)
        .threadFactoryProvider(this::threadFactory)
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .build());
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
    CompletionStage<T> run(RedisAsyncCommands<String, String> commands);
  }

  /** Runs one command, waiting at most the command timeout; every failure is an {@link IOException} naming Redis, never a key. */
  private <T> T call(Command<T> command, String what) throws IOException {
    CompletableFuture<T> result = command.run(commands()).toCompletableFuture();
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

  /** The connection's commands: connecting on first use, and again (at most once a second) after a failed attempt. */
  private RedisAsyncCommands<String, String> commands() throws IOException {
    CompletableFuture<StatefulRedisConnection<String, String>> current;
    synchronized (lock) {
      if (closed) {
        throw new IOException("the Redis shared state for " + shown + " is closed");
      }
      current = connection;
      boolean failed = current != null && current.isCompletedExceptionally();
      if (current == null || (failed && System.nanoTime() - nextAttemptNanos >= 0)) {
        current = client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
        connection = current;
        nextAttemptNanos = System.nanoTime() + MAX_RECONNECT_DELAY.toNanos();
      }
    }
    try {
      return current.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS).async();
    } catch (TimeoutException e) {
      throw new IOException("no connection to Redis at " + shown + " within " + connectTimeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw new IOException("cannot connect to Redis at " + shown + ": " + describe(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to Redis at " + shown);
    }
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

  /** The prefix of the names of the threads this instance starts (Lettuce's event loop, computation and timer). */
  String threadNamePrefix() {
    return threadPrefix;
  }

  /** Closes the connection and ends the client's threads, waiting at most a few seconds; idempotent. */
  @Override
  public void close() {
    CompletableFuture<StatefulRedisConnection<String, String>> current;
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
        current.join().close();
      }
    }
    client.shutdown(0, 2, TimeUnit.SECONDS);
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
    private RedisURI uri;
    private String shown;
    private Duration commandTimeout = Duration.ofMillis(DEFAULT_COMMAND_TIMEOUT_MILLIS);
    private Duration connectTimeout = Duration.ofMillis(DEFAULT_CONNECT_TIMEOUT_MILLIS);
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The Redis every replica names: {@code redis://[:password@]host:port[/db]}, {@code rediss://} for TLS,
     * or {@code redis-sentinel://[:password@]host:port[,host2:port2...][/db]#master} for the master a
     * Redis Sentinel names (looked up again on every reconnection, so a failover needs no restart).
     * Required. Any other scheme ({@code rediss-sentinel}, {@code redis-socket}, a cluster) fails here,
     * naming the scheme; a bad URI fails here too, and the message never repeats it (it may hold a password).
     */
    public Builder uri(String uri) {
      Objects.requireNonNull(uri, "uri");
      String scheme = uri.contains("://") ? uri.substring(0, uri.indexOf("://")).toLowerCase(Locale.ROOT) : "";
      if (!SCHEMES.contains(scheme)) {
        throw new IllegalArgumentException("sharedState: " + (scheme.matches("[a-z][a-z0-9+.-]*")
            ? "the scheme " + scheme + ":// is not supported" : "not a Redis URI") + "; use redis://host:port[/db], "
            + "rediss://host:port[/db] (TLS) or redis-sentinel://host:port[,host:port...][/db]#master (the value is "
            + "not shown: it may hold a password)");
      }
      RedisURI parsed;
      try {
        parsed = RedisURI.create(uri);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("sharedState: the Redis URI cannot be read as " + scheme
            + "://[:password@]host:port[/db]" + (scheme.equals(SENTINEL) ? "#master" : "")
            + " (the value is not shown: it may hold a password)");
      }
      if (scheme.equals(SENTINEL)) {
        if (parsed.getSentinels().isEmpty() || parsed.getSentinelMasterId() == null
            || parsed.getSentinelMasterId().isEmpty()) {
          throw new IllegalArgumentException("sharedState: a redis-sentinel:// URI names its sentinels and the "
              + "master: redis-sentinel://host:port[,host:port...][/db]#master");
        }
        StringBuilder hosts = new StringBuilder();
        for (RedisURI sentinel : parsed.getSentinels()) {
          hosts.append(hosts.length() == 0 ? "" : ",").append(sentinel.getHost()).append(':').append(sentinel.getPort());
        }
        this.shown = SENTINEL + "://" + hosts + "/" + parsed.getDatabase() + "#" + parsed.getSentinelMasterId();
      } else {
        if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
          throw new IllegalArgumentException("sharedState: the Redis URI names no host; use redis://host:port[/db]");
        }
        this.shown = scheme + "://" + parsed.getHost() + ":" + parsed.getPort() + "/" + parsed.getDatabase();
      }
      this.uri = parsed;
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

    /** The shared state, connecting in the background; a Redis that is down now is retried, not an error. */
    public RedisSharedState build() {
      if (uri == null) {
        throw new IllegalStateException("uri: required, e.g. redis://127.0.0.1:6379/0");
      }
      return new RedisSharedState(this);
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
