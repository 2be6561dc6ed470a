package dev.tokenward.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Sentinel ({@code redis-server CONF --sentinel}, from the same Debian package as
 * {@code redis-server}) on a free loopback port, monitoring one {@link LocalRedis} as master
 * {@value #MASTER}, for tests of {@code redis-sentinel://} URIs. Sentinel rewrites its configuration file,
 * so it lives in a temporary directory that {@link #close()} deletes.
 */
final class LocalSentinel implements AutoCloseable {
  static final String MASTER = "tokenward-master";
  private static final Duration START_WAIT = Duration.ofSeconds(15);

  private final int port;
  private final Path dir;
  private final Process process;

  private LocalSentinel(int port, Path dir, Process process) {
    this.port = port;
    this.dir = dir;
    this.process = process;
  }

  /**
   * Starts a sentinel monitoring {@code master} (quorum 1, a master is down after 1 s without an answer).
   * Its port is found free here but bound by redis-server, so another process can take it in between:
   * a sentinel that exits at start is tried again on another port, three times at most (as {@link LocalRedis}).
   */
  static LocalSentinel monitoring(LocalRedis master) throws IOException {
    ExitedAtStart last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return monitoring(master, LocalRedis.freePort());
      } catch (ExitedAtStart e) {
        last = e;
      }
    }
    throw last;
  }

  /** A sentinel that exited before it answered, most often because its port was taken. */
  private static final class ExitedAtStart extends IOException {
    private static final long serialVersionUID = 1L;

    ExitedAtStart(String message) {
      super(message);
    }
  }

  private static LocalSentinel monitoring(LocalRedis master, int port) throws IOException {
    Path dir = Files.createTempDirectory("tokenward-sentinel");
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(conf, String.join("\n",
        "port " + port,
        "bind 127.0.0.1",
        "dir " + dir,
        "sentinel monitor " + MASTER + " 127.0.0.1 " + master.port() + " 1",
        "sentinel down-after-milliseconds " + MASTER + " 1000",
        "sentinel failover-timeout " + MASTER + " 10000",
        "loglevel warning",
        ""));
    ProcessBuilder pb = new ProcessBuilder("redis-server", conf.toString(), "--sentinel");
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("sentinel.log").toFile());
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("redis-server --sentinel cannot be started (" + e.getMessage() + "); install "
          + "it: apt-get install -y redis-server (.ci/run does)", e);
    }
    LocalSentinel sentinel = new LocalSentinel(port, dir, process);
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        sentinel.close();
        throw new ExitedAtStart("redis-server --sentinel exited at start on port " + port + ": " + sentinel.log());
      }
      try {
        if ("PONG".equals(sentinel.command("PING"))) {
          return sentinel;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    sentinel.close();
    throw new IOException("redis-server --sentinel did not answer PING within " + START_WAIT.toSeconds() + " s");
  }

  /** {@code redis-sentinel://127.0.0.1:PORT/0#tokenward-master}. */
  String uri() {
    return "redis-sentinel://127.0.0.1:" + port + "/0#" + MASTER;
  }

  /** The port of the master the sentinel names now ({@code SENTINEL GET-MASTER-ADDR-BY-NAME}). */
  @SuppressWarnings("unchecked")
  int masterPort() throws IOException {
    List<Object> addr = (List<Object>) command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER);
    return Integer.parseInt((String) addr.get(1));
  }

  /** Sends one command to the sentinel and reads its reply, as {@link LocalRedis#command} does. */
  Object command(String... args) throws IOException {
    return LocalRedis.command(port, args);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind is harmless
    }
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("sentinel.log")).strip();
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
