package dev.tokenward.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian package {@code redis-server}; .ci/run installs it) on a free
 * loopback port, for tests: started by {@link #start()}, stopped and started again on the same port
 * ({@link #stop()}, {@link #restart()}) to play an outage, and ended by {@link #close()}. No data is
 * written to disk. {@link #command} speaks RESP over a plain socket, so a test can look into Redis
 * ({@code KEYS}, {@code PTTL}, {@code INFO}) without going through the code under test.
 */
public final class LocalRedis implements AutoCloseable {
  private static final Duration START_WAIT = Duration.ofSeconds(15);

  private final int port;
  private final Path dir;
  private final List<String> options;
  private Process process;

  private LocalRedis(int port, Path dir, List<String> options) {
    this.port = port;
    this.dir = dir;
    this.options = List.copyOf(options);
  }

  /** Starts a redis-server on a free loopback port; fails (never skips) when the binary is missing. */
  public static LocalRedis start() throws IOException {
    return start(List.of());
  }

  /**
   * Starts a redis-server with {@code --cluster-enabled yes} (its node file in its own directory): a
   * Cluster node that owns no slot until it is made part of a Cluster ({@link LocalRedisCluster}).
   */
  static LocalRedis startClusterEnabled() throws IOException {
    return startClusterEnabled(List.of());
  }

  /** As {@link #startClusterEnabled()}, with more redis-server options (TLS, say). */
  static LocalRedis startClusterEnabled(List<String> more) throws IOException {
    List<String> options = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
        "--cluster-node-timeout", "5000"));
    options.addAll(more);
    return start(options);
  }

  private static LocalRedis start(List<String> options) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      LocalRedis redis = new LocalRedis(freePort(), Files.createTempDirectory("tokenward-redis"), options);
      try {
        redis.launch();
        return redis;
      } catch (IOException e) {
        last = e;
        redis.close();
      }
    }
    throw last;
  }

  /** {@code redis://127.0.0.1:PORT/0}. */
  public String uri() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  /** The loopback port it listens on, the same after {@link #restart()}. */
  public int port() {
    return port;
  }

  /** Stops the server (SIGTERM), waiting until it has exited: an outage. */
  public synchronized void stop() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Starts the server again on the same port, empty. */
  public synchronized void restart() throws IOException {
    stop();
    launch();
  }

  /** Sends one command and reads its reply: a bulk or simple string, an integer as text, an array as a list, nil as null. */
  public Object command(String... args) throws IOException {
    return command(port, args);
  }

  /** Sends one command to the Redis (or Sentinel) on this loopback port and reads its reply. */
  static Object command(int port, String... args) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
      }
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return read(s.getInputStream());
    }
  }

  /** Every key in the database ({@code KEYS *}). */
  @SuppressWarnings("unchecked")
  public List<String> keys() throws IOException {
    return (List<String>) command("KEYS", "*");
  }

  /** {@code used_memory} of {@code INFO memory}, in bytes. */
  public long usedMemory() throws IOException {
    for (String line : ((String) command("INFO", "memory")).split("\r\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring("used_memory:".length()).trim());
      }
    }
    throw new IOException("INFO memory has no used_memory");
  }

  /** Stops the server and deletes its directory. */
  @Override
  public synchronized void close() {
    stop();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind is harmless
    }
  }

  private void launch() throws IOException {
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind",
        "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--loglevel", "warning",
        "--daemonize", "no"));
    command.addAll(options);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("redis.log").toFile());
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("redis-server cannot be started (" + e.getMessage() + "); install it: "
          + "apt-get install -y redis-server (.ci/run does)", e);
    }
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited at start on port " + port + ": " + log());
      }
      try {
        if ("PONG".equals(command("PING"))) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting redis-server");
      }
    }
    stop();
    throw new IOException("redis-server did not answer PING within " + START_WAIT.toSeconds() + " s: " + log());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("redis.log")).strip();
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** A loopback port that nothing listens on now. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Object read(InputStream in) throws IOException {
    String line = line(in);
    char type = line.charAt(0);
    String rest = line.substring(1);
    switch (type) {
      case '+':
      case ':':
        return rest;
      case '-':
        throw new IOException("Redis error: " + rest);
      case '$': {
        int n = Integer.parseInt(rest);
        if (n < 0) {
          return null;
        }
        byte[] data = in.readNBytes(n + 2);
        return new String(data, 0, n, StandardCharsets.UTF_8);
      }
      case '*': {
        int n = Integer.parseInt(rest);
        if (n < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          items.add(read(in));
        }
        return items;
      }
      default:
        throw new IOException("unexpected RESP reply: " + line);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\r') {
        in.read(); // '\n'
        return b.toString();
      }
      b.append((char) c);
    }
    throw new IOException("connection closed by Redis");
  }
}
