package dev.tokenward.benchmarks;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.VerifiedToken;
import dev.tokenward.micrometer.TokenwardMetrics;
import dev.tokenward.samples.servlet.ServletSample;
import dev.tokenward.samples.support.SampleMetrics;
import dev.tokenward.samples.support.SampleResponses;
import dev.tokenward.samples.support.SampleServer;
import dev.tokenward.test.TestIssuer;
import io.micrometer.core.instrument.Counter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The servlet sample under HTTP load over loopback, against the same Jetty and servlet with the
 * filter removed (the servlet builds the same JSON per request, from a token verified once, up front), so the
 * filter's cost per request is a ratio. A bounded closed loop: {@value #CONNECTIONS} clients, each
 * sending one request after another; requests/s, p50/p99 latency, and the CPU time the server's
 * threads and the load generator's threads spent per request. Three loads:
 *
 * <ul>
 *   <li><b>repeated token</b>: every request carries the same token, as one client session does (the cache-hit
 *       path);</li>
 *   <li><b>distinct tokens</b> (issue #11's load): {@code clients} clients (default 20,000, twice the filter's
 *       10,000-entry token cache), each with its own token, which it sends again and again; each request comes from
 *       a client chosen uniformly at random. More clients than the cache holds: part of the requests find their token
 *       cached, the rest are verified in full; the filter's hit rate is read from its metrics listener;</li>
 *   <li><b>every token new</b> (the worst case): each request carries a token nobody sent before, once ({@code
 *       fresh} per round), so every request is a full verification meeting a full cache.</li>
 * </ul>
 *
 * The filtered validator carries the sample's Micrometer listener, as the sample runs. After a warm-up of each
 * service (the distinct load fills the filter's cache), {@code rounds} rounds measure the services in turn
 * (unprotected, filtered, for each load; the order flips every round), so load from other processes on a shared
 * machine falls on both alike; each row sums a service's rounds and the per-round ratios are printed too, with the
 * machine's load average at the start of each round.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tokenward.benchmarks.EndToEnd [seconds]
 * [clients] [fresh] [rounds]} (defaults 8, 20000, 4000, 5). {@code -De2e.loads=repeated,distinct,new} runs only the
 * loads named (all by default): one load alone is what a profiler attached to this JVM should see.
 * {@code -De2e.generator=jdk,wrk} (default {@code jdk}) runs the measurement once per load generator named, against the
 * same services: {@code jdk} is the JDK client in this JVM; {@code wrk} (on the PATH; {@code apt-get install wrk})
 * drives the repeated and distinct loads from a process of its own, a much lighter generator, whose CPU time and
 * p50/p99 are wrk's (the rows give the request-weighted mean of the rounds' percentiles).
 */
public final class EndToEnd {
  private static final int CONNECTIONS = 16;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static Path WRK_SCRIPT; // set in wrk mode: the Lua script, copied out of the jar

  private EndToEnd() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int fresh = args.length > 2 ? Integer.parseInt(args[2]) : 4_000;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    List<String> generators = List.of(System.getProperty("e2e.generator", "jdk").split(","));
    List<String> allLoads = List.of(System.getProperty("e2e.loads", "repeated,distinct,new").split(","));
    System.out.printf("start %s, load average %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS), loadAverage());
    try (TestIssuer issuer = TestIssuer.defaults().start()) {
      String token = issuer.accessToken(TestIssuer.DEMO_CLIENT, TestIssuer.DEFAULT_API, TestIssuer.READ_MESSAGES);
      long mintStart = System.nanoTime();
      String[] minted = IntStream.range(0, clients + fresh * rounds).parallel()
          .mapToObj(i -> issuer.jwt().audience(TestIssuer.DEFAULT_API).subject(String.format("auth0|e2e%08x", i))
              .scopes(TestIssuer.READ_MESSAGES).sign())
          .toArray(String[]::new);
      System.out.printf("%,d tokens minted in %.1f s%n", minted.length, (System.nanoTime() - mintStart) / 1e9);
      String[] clientTokens = Arrays.copyOf(minted, clients);
      SampleMetrics metrics = new SampleMetrics(); // the sample's listener, as SampleConfiguration gives it
      AccessTokenValidator validator = AccessTokenValidator.builder()
          .issuer(issuer.issuer()).audience(TestIssuer.DEFAULT_API).listener(metrics.listener()).build();
      VerifiedToken verified = validator.validate(token);
      Counter hits = metrics.registry().get(TokenwardMetrics.TOKEN_CACHE).tag("result", "hit").counter();
      Counter misses = metrics.registry().get(TokenwardMetrics.TOKEN_CACHE).tag("result", "miss").counter();

      SampleServer withFilter = ServletSample.server(new InetSocketAddress("127.0.0.1", 0), validator);
      Server withoutFilter = plainServer(verified);
      Service plain = new Service(((ServerConnector) withoutFilter.getConnectors()[0]).getLocalPort(), null, null);
      Service filtered = new Service(withFilter.port(), hits, misses);
      Path tokenFile = null;
      Path clientFile = null;
      if (generators.contains("wrk")) {
        WRK_SCRIPT = Files.createTempFile("e2e-wrk", ".lua");
        try (InputStream in = EndToEnd.class.getResourceAsStream("/e2e-wrk.lua")) {
          Files.write(WRK_SCRIPT, in.readAllBytes());
        }
        tokenFile = Files.writeString(Files.createTempFile("e2e-token", ".txt"), token + "\n");
        clientFile = Files.write(Files.createTempFile("e2e-clients", ".txt"), Arrays.asList(clientTokens));
      }
      try {
        System.out.printf("%d connections, GET /api/private-scoped; %d rounds, each service in turn: repeated token %d s,"
            + " distinct tokens (%,d clients, each with its own token, chosen at random per request) %d s, every token"
            + " new %,d requests, per run%n", CONNECTIONS, rounds, seconds, clients, seconds, fresh);
        for (String generator : generators) { // each load generator in turn, against the same two services
          boolean wrk = generator.equals("wrk");
          List<String> loads = wrk ? allLoads.stream().filter(l -> !l.equals("new")).toList() : allLoads;
          System.out.printf("%nload generator: %s%n", wrk ? "wrk, 2 threads, a process of its own (repeated and"
              + " distinct loads only)" : "JDK HttpClient in this JVM, one thread per connection");
          for (Service s : List.of(plain, filtered)) { // JIT warm-up; the distinct load fills the filter's cache
            if (loads.contains("repeated")) {
              if (wrk) {
                s.wrk(tokenFile, false, Math.max(3, seconds / 2));
              } else {
                s.repeated(token, Math.max(3, seconds / 2));
              }
            }
            if (loads.contains("distinct") || loads.contains("new")) {
              if (wrk) {
                s.wrk(clientFile, true, 2 * seconds);
              } else {
                s.distinct(clientTokens, 2 * seconds);
              }
            }
          }
          Map<String, List<Result>> results = new HashMap<>();
          List<String> perRound = new ArrayList<>();
          int next = clients;
          for (int round = 0; round < rounds; round++) {
            String load = loadAverage();
            boolean flip = round % 2 == 1; // a neighbour's load rising or falling through a round weighs on both alike
            Service first = flip ? filtered : plain;
            Service second = flip ? plain : filtered;
            String[] batch = Arrays.copyOfRange(minted, next, next + fresh); // the plain service does not validate
            next += fresh;
            Result[] r = new Result[6];
            if (loads.contains("repeated")) {
              r[flip ? 1 : 0] = wrk ? first.wrk(tokenFile, false, seconds) : first.repeated(token, seconds);
              r[flip ? 0 : 1] = wrk ? second.wrk(tokenFile, false, seconds) : second.repeated(token, seconds);
            }
            if (loads.contains("distinct")) {
              r[flip ? 3 : 2] = wrk ? first.wrk(clientFile, true, seconds) : first.distinct(clientTokens, seconds);
              r[flip ? 2 : 3] = wrk ? second.wrk(clientFile, true, seconds) : second.distinct(clientTokens, seconds);
            }
            if (loads.contains("new")) {
              r[flip ? 5 : 4] = first.fresh(batch);
              r[flip ? 4 : 5] = second.fresh(batch);
            }
            StringBuilder line = new StringBuilder(String.format("| %d | %s |", round + 1, load));
            for (int i = 0; i < r.length; i += 2) {
              if (r[i] == null) {
                line.append(i == 0 ? " - |" : " - | - |");
                continue;
              }
              results.computeIfAbsent(ROWS[i], k -> new ArrayList<>()).add(r[i]);
              results.computeIfAbsent(ROWS[i + 1], k -> new ArrayList<>()).add(r[i + 1]);
              line.append(String.format(" %.2f |", r[i + 1].rate / r[i].rate));
              if (i > 0) {
                line.append(String.format(" %.3f |", r[i + 1].hitRate()));
              }
            }
            perRound.add(line.toString());
          }
          System.out.printf("%nend %s, load average %s%n%n", Instant.now().truncatedTo(ChronoUnit.SECONDS), loadAverage());
          System.out.println("| load: service | requests/s | p50 µs | p99 µs | server CPU µs/req | load generator CPU"
              + " µs/req | token-cache hit rate | measured |");
          System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
          for (String row : ROWS) {
            if (results.containsKey(row)) {
              System.out.println(Result.of(results.get(row)).row(row));
            }
          }
          System.out.println();
          for (int i = 0; i < ROWS.length; i += 2) {
            if (!results.containsKey(ROWS[i])) {
              continue;
            }
            Result p = Result.of(results.get(ROWS[i]));
            Result f = Result.of(results.get(ROWS[i + 1]));
            System.out.printf("%s: the filter kept %.2f of the throughput without it; server CPU per request %.2f x%n",
                LOADS[i / 2], f.rate / p.rate, f.serverCpuPerRequest() / p.serverCpuPerRequest());
          }
          System.out.println();
          System.out.println("| round | load average (1, 5, 15 min) at its start | repeated: filtered ÷ unprotected"
              + " | distinct: filtered ÷ unprotected | distinct: hit rate | every token new: filtered ÷ unprotected"
              + " | every token new: hit rate |");
          System.out.println("|---:|---|---:|---:|---:|---:|---:|");
          perRound.forEach(System.out::println);
        }
      } finally {
        withFilter.stop();
        withoutFilter.stop();
        validator.close();
      }
    }
  }

  private static final String[] LOADS = {"repeated token", "distinct tokens", "every token new"};
  private static final String[] ROWS = {
      "repeated token: servlet, filter removed", "repeated token: servlet sample with BearerTokenFilter",
      "distinct tokens: servlet, filter removed", "distinct tokens: servlet sample with BearerTokenFilter",
      "every token new: servlet, filter removed", "every token new: servlet sample with BearerTokenFilter"};

  /** The 1, 5 and 15 minute load averages of the machine, as {@code /proc/loadavg} has them. */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + ", " + f[1] + ", " + f[2];
    } catch (IOException | RuntimeException e) {
      return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  /**
   * The unprotected service: Jetty and a servlet that answers as the sample's does (the body built per request, from
   * the token the filter would have verified, the same code), so the two services differ by the filter alone.
   */
  private static Server plainServer(VerifiedToken verified) throws Exception {
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] bytes = SampleResponses.verified(verified).getBytes(StandardCharsets.UTF_8);
        response.setContentType(SampleResponses.CONTENT_TYPE);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
      }
    }), "/api/private-scoped");
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(context);
    server.start();
    return server;
  }

  /**
   * One run's figures. CPU time is read per thread: Jetty's threads ({@code qtp…}; only the service under load is
   * busy) are the server's, the client threads and the JDK {@code HttpClient}'s are the load generator's.
   */
  private record Result(double rate, long requests, double seconds, long[] sorted, long p50Nanos, long p99Nanos,
      long serverCpu, long clientCpu, double hits, double misses) {
    /** A run of the in-JVM client: every request's latency, sorted. */
    static Result of(double rate, long[] sorted, double seconds, long serverCpu, long clientCpu, double hits,
        double misses) {
      return new Result(rate, sorted.length, seconds, sorted, sorted[sorted.length / 2],
          sorted[(int) (sorted.length * 0.99)], serverCpu, clientCpu, hits, misses);
    }

    double serverCpuPerRequest() {
      return serverCpu / 1e3 / requests;
    }

    double hitRate() {
      return hits + misses == 0 ? Double.NaN : hits / (hits + misses);
    }

    String row(String name) {
      return String.format("| %s | %,.0f | %,d | %,d | %.0f | %.0f | %s | %,d in %.1f s |", name, rate,
          p50Nanos / 1000, p99Nanos / 1000, serverCpuPerRequest(),
          clientCpu / 1e3 / requests, Double.isNaN(hitRate()) ? "-" : String.format("%.3f", hitRate()), requests,
          seconds);
    }

    /**
     * The rounds of one service and load together: all their requests over all their time; percentiles over all
     * requests (wrk, which reports percentiles only: the request-weighted mean of the rounds' percentiles).
     */
    static Result of(List<Result> rounds) {
      double seconds = rounds.stream().mapToDouble(Result::seconds).sum();
      long requests = rounds.stream().mapToLong(Result::requests).sum();
      long serverCpu = rounds.stream().mapToLong(Result::serverCpu).sum();
      long clientCpu = rounds.stream().mapToLong(Result::clientCpu).sum();
      double hits = rounds.stream().mapToDouble(Result::hits).sum();
      double misses = rounds.stream().mapToDouble(Result::misses).sum();
      if (rounds.stream().allMatch(r -> r.sorted != null)) {
        long[] all = rounds.stream().flatMapToLong(r -> Arrays.stream(r.sorted)).sorted().toArray();
        return of(all.length / seconds, all, seconds, serverCpu, clientCpu, hits, misses);
      }
      long p50 = rounds.stream().mapToLong(r -> r.p50Nanos * r.requests).sum() / requests;
      long p99 = rounds.stream().mapToLong(r -> r.p99Nanos * r.requests).sum() / requests;
      return new Result(requests / seconds, requests, seconds, null, p50, p99, serverCpu, clientCpu, hits, misses);
    }
  }

  /** A service under test: its port, and for the filtered one the token cache's hit and miss counters. */
  private record Service(int port, Counter hits, Counter misses) {
    URI uri() {
      return URI.create("http://127.0.0.1:" + port + "/api/private-scoped");
    }

    Result repeated(String token, int seconds) throws Exception {
      HttpRequest request = request(token);
      return measure(() -> request, seconds * 1000L);
    }

    /** Each request from one of the clients, chosen uniformly at random, carrying that client's token. */
    Result distinct(String[] tokens, int seconds) throws Exception {
      HttpRequest[] requests = Arrays.stream(tokens).map(this::request).toArray(HttpRequest[]::new);
      return measure(() -> requests[ThreadLocalRandom.current().nextInt(requests.length)], seconds * 1000L);
    }

    /** Each of {@code tokens} once. */
    Result fresh(String[] tokens) throws Exception {
      HttpRequest[] requests = Arrays.stream(tokens).map(this::request).toArray(HttpRequest[]::new);
      AtomicInteger next = new AtomicInteger();
      return measure(() -> {
        int i = next.getAndIncrement();
        return i < requests.length ? requests[i] : null;
      }, Long.MAX_VALUE / 4);
    }

    private HttpRequest request(String token) {
      return HttpRequest.newBuilder(uri()).header("Authorization", "Bearer " + token)
          .timeout(Duration.ofSeconds(5)).GET().build();
    }

    /** {@value #CONNECTIONS} clients, each sending the next request until the time is up or {@code next} answers null. */
    private Result measure(Supplier<HttpRequest> next, long millis) throws Exception {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2)).build();
      AtomicInteger threads = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS,
          r -> new Thread(r, "e2e-client-" + threads.incrementAndGet()));
      double hits0 = hits == null ? 0 : hits.count();
      double misses0 = misses == null ? 0 : misses.count();
      Map<Long, long[]> cpu0 = cpuByThread();
      long start = System.nanoTime();
      long deadline = System.currentTimeMillis() + millis;
      AtomicLong failures = new AtomicLong();
      List<Future<long[]>> futures = new ArrayList<>();
      for (int c = 0; c < CONNECTIONS; c++) {
        futures.add(pool.submit(() -> {
          long[] samples = new long[1 << 20]; // bounded: at most this many requests per client
          int n = 0;
          HttpRequest request;
          while (n < samples.length && System.currentTimeMillis() < deadline && (request = next.get()) != null) {
            long t0 = System.nanoTime();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
              in.readAllBytes();
            }
            if (response.statusCode() != 200) {
              failures.incrementAndGet();
            }
            samples[n++] = System.nanoTime() - t0;
          }
          return Arrays.copyOf(samples, n);
        }));
      }
      List<long[]> latencies = new ArrayList<>();
      for (Future<long[]> f : futures) {
        latencies.add(f.get());
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      long[] cpu = cpuSince(cpu0);
      pool.shutdown();
      if (failures.get() > 0) {
        throw new IllegalStateException(failures.get() + " requests did not answer 200");
      }
      long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      return Result.of(all.length / elapsed, all, elapsed, cpu[0], cpu[1],
          hits == null ? 0 : hits.count() - hits0, misses == null ? 0 : misses.count() - misses0);
    }

    /**
     * The same load from wrk, a process of its own ({@code -De2e.generator=wrk}): 2 threads, {@value #CONNECTIONS}
     * connections, {@code seconds}; each request carries {@code tokens}' first line, or with {@code random} a line
     * chosen uniformly at random. Its CPU time is wrk's own (user + system, from {@code /usr/bin/time}).
     */
    Result wrk(Path tokens, boolean random, int seconds) throws Exception {
      Path hist = Files.createTempFile("e2e-wrk", ".txt");
      Path times = Files.createTempFile("e2e-wrk", ".time");
      ProcessBuilder pb = new ProcessBuilder("/usr/bin/time", "-o", times.toString(), "-f", "%U %S", "wrk", "-t2",
          "-c" + CONNECTIONS, "-d" + seconds + "s", "--timeout", "5s", "-s", WRK_SCRIPT.toString(), uri().toString())
          .redirectErrorStream(true);
      pb.environment().put("E2E_TOKENS", tokens.toString());
      pb.environment().put("E2E_MODE", random ? "random" : "repeated");
      pb.environment().put("E2E_HIST", hist.toString());
      double hits0 = hits == null ? 0 : hits.count();
      double misses0 = misses == null ? 0 : misses.count();
      Map<Long, long[]> cpu0 = cpuByThread();
      Process wrk = pb.start();
      String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (wrk.waitFor() != 0) {
        throw new IllegalStateException("wrk failed: " + out);
      }
      long[] cpu = cpuSince(cpu0);
      Map<String, Double> summary = new HashMap<>();
      for (String line : Files.readAllLines(hist)) {
        String[] f = line.trim().split("\\s+");
        summary.put(f[0], Double.parseDouble(f[1]));
      }
      String[] t = Files.readString(times).trim().split("\\s+");
      Files.deleteIfExists(hist);
      Files.deleteIfExists(times);
      if (summary.get("errors") > 0 || out.contains("Non-2xx")) {
        throw new IllegalStateException("wrk saw errors or answers other than 200: " + out);
      }
      long requests = summary.get("requests").longValue();
      double elapsed = summary.get("duration_us") / 1e6;
      long wrkCpu = (long) ((Double.parseDouble(t[t.length - 2]) + Double.parseDouble(t[t.length - 1])) * 1e9);
      return new Result(requests / elapsed, requests, elapsed, null, (long) (summary.get("p50_us") * 1000),
          (long) (summary.get("p99_us") * 1000), cpu[0], wrkCpu,
          hits == null ? 0 : hits.count() - hits0, misses == null ? 0 : misses.count() - misses0);
    }
  }

  /** Per live thread: {kind (0 server, 1 load generator, 2 other), CPU nanoseconds}. */
  private static Map<Long, long[]> cpuByThread() {
    Map<Long, long[]> out = new HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName();
      int kind = name.startsWith("qtp") ? 0 : name.startsWith("e2e-client-") || name.startsWith("HttpClient-") ? 1 : 2;
      long cpu = THREADS.getThreadCpuTime(t.getId());
      if (cpu >= 0) {
        out.put(t.getId(), new long[] {kind, cpu});
      }
    }
    return out;
  }

  /** CPU nanoseconds spent since {@code before} by {server, load generator} threads alive now. */
  private static long[] cpuSince(Map<Long, long[]> before) {
    long[] sums = new long[3];
    cpuByThread().forEach((id, now) -> {
      long[] then = before.get(id);
      sums[(int) now[0]] += now[1] - (then == null ? 0 : then[1]);
    });
    return sums;
  }
}
