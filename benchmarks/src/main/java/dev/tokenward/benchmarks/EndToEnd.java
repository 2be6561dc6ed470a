package dev.tokenward.benchmarks;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.VerifiedToken;
import dev.tokenward.test.TestIssuer;
import dev.tokenward.samples.servlet.ServletSample;
import dev.tokenward.samples.support.SampleResponses;
import dev.tokenward.samples.support.SampleServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The servlet sample under HTTP load over loopback, against the same Jetty and servlet with the
 * filter removed (the servlet answers the same JSON for a token verified once, up front), so the
 * filter's cost per request is a ratio. A bounded closed loop: {@code CONNECTIONS} clients, each
 * sending one request after another for a fixed time; requests/s and p50/p99 latency. Two loads:
 *
 * <ul>
 *   <li>repeated: every request carries the same token, as one client session does (the cache-hit path);</li>
 *   <li>distinct: many clients, each with its own token: {@code tokens} distinct tokens, each sent once. The first
 *       {@value #FILL} are the warm-up (they fill the filter's default 10,000-entry token cache); the measured
 *       requests carry tokens the filter has never seen, an equal share of the rest per run. A loop over a pool would
 *       not do: the cache's admission policy keeps part of a repeating pool, and those would be hits.</li>
 * </ul>
 *
 * After a warm-up of each service, {@value #ROUNDS} rounds measure the services in turn (unprotected, filtered,
 * for each load), so load from other processes on a shared machine falls on both alike; each row sums a service's
 * rounds (requests over time; p50 and p99 over all their requests) and the per-round ratios are printed too.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tokenward.benchmarks.EndToEnd [seconds] [tokens]}
 */
public final class EndToEnd {
  private static final int CONNECTIONS = 16;
  private static final int FILL = 10_240;
  private static final int ROUNDS = 3;

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int distinct = args.length > 1 ? Integer.parseInt(args[1]) : 40_960;
    try (TestIssuer issuer = TestIssuer.defaults().start()) {
      String token = issuer.accessToken(TestIssuer.DEMO_CLIENT, TestIssuer.DEFAULT_API, TestIssuer.READ_MESSAGES);
      long mintStart = System.nanoTime();
      String[] tokens = java.util.stream.IntStream.range(0, distinct).parallel()
          .mapToObj(i -> issuer.jwt().audience(TestIssuer.DEFAULT_API).subject(String.format("auth0|e2e%08x", i))
              .scopes(TestIssuer.READ_MESSAGES).sign())
          .toArray(String[]::new);
      System.out.printf("%,d distinct tokens minted in %d s%n", distinct, (System.nanoTime() - mintStart) / 1_000_000_000);
      AccessTokenValidator validator = AccessTokenValidator.builder()
          .issuer(issuer.issuer()).audience(TestIssuer.DEFAULT_API).build();
      VerifiedToken verified = validator.validate(token);

      SampleServer withFilter = ServletSample.server(new InetSocketAddress("127.0.0.1", 0), validator);
      Server withoutFilter = plainServer(SampleResponses.verified(verified));
      int plainPort = ((ServerConnector) withoutFilter.getConnectors()[0]).getLocalPort();
      try {
        int perRun = (distinct - FILL) / (2 * ROUNDS);
        System.out.printf("%d connections, GET /api/private-scoped; %d rounds, each service in turn: repeated token %d s"
            + " per run (after a %d s warm-up), distinct tokens %,d per run (after %,d warm-up requests)%n%n",
            CONNECTIONS, ROUNDS, seconds, Math.max(3, seconds / 3), perRun, FILL);
        warmUp(plainPort, token, tokens, seconds);
        warmUp(withFilter.port(), token, tokens, seconds); // the distinct warm-up fills the filter's token cache
        List<Result> plain = new ArrayList<>();
        List<Result> filtered = new ArrayList<>();
        List<Result> plainDistinct = new ArrayList<>();
        List<Result> filteredDistinct = new ArrayList<>();
        int next = FILL;
        for (int round = 0; round < ROUNDS; round++) {
          // alternate the services, so a neighbour's load on the shared machine falls on both alike
          plain.add(load(plainPort, token, seconds));
          filtered.add(load(withFilter.port(), token, seconds));
          plainDistinct.add(loadDistinct(plainPort, tokens, next, next + perRun));
          next += perRun;
          filteredDistinct.add(loadDistinct(withFilter.port(), tokens, next, next + perRun));
          next += perRun;
        }
        System.out.println("| load: service | requests/s | p50 µs | p99 µs | measured |");
        System.out.println("|---|---:|---:|---:|---:|");
        Result p = Result.of(plain);
        Result f = Result.of(filtered);
        Result pd = Result.of(plainDistinct);
        Result fd = Result.of(filteredDistinct);
        System.out.println(p.row("repeated token: servlet, filter removed"));
        System.out.println(f.row("repeated token: servlet sample with BearerTokenFilter"));
        System.out.println(pd.row("distinct tokens: servlet, filter removed"));
        System.out.println(fd.row("distinct tokens: servlet sample with BearerTokenFilter"));
        System.out.printf("%nfilter kept %.2f of the throughput without it (repeated token), %.2f (distinct tokens)%n",
            f.rate / p.rate, fd.rate / pd.rate);
        System.out.print("per round (filtered / unprotected):");
        for (int round = 0; round < ROUNDS; round++) {
          System.out.printf(" %.2f / %.2f", filtered.get(round).rate / plain.get(round).rate,
              filteredDistinct.get(round).rate / plainDistinct.get(round).rate);
        }
        System.out.println(" (repeated / distinct)");
      } finally {
        withFilter.stop();
        withoutFilter.stop();
        validator.close();
      }
    }
  }

  private static Server plainServer(String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
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

  private record Result(double rate, long p50Nanos, long p99Nanos, long requests, double seconds, long[] sorted) {
    String row(String name) {
      return String.format("| %s | %,.0f | %,d | %,d | %,d in %.1f s |", name, rate, p50Nanos / 1000,
          p99Nanos / 1000, requests, seconds);
    }

    /** The rounds of one service and load together: all their requests over all their time; percentiles over all. */
    static Result of(List<Result> rounds) {
      long[] all = rounds.stream().flatMapToLong(r -> Arrays.stream(r.sorted)).sorted().toArray();
      double seconds = rounds.stream().mapToDouble(Result::seconds).sum();
      return new Result(all.length / seconds, all[all.length / 2], all[(int) (all.length * 0.99)], all.length, seconds,
          all);
    }
  }

  /** JIT warm-up for both loads; the distinct part sends the first {@value #FILL} tokens (filling a token cache). */
  private static void warmUp(int port, String token, String[] tokens, int seconds) throws Exception {
    load(port, token, Math.max(3, seconds / 3));
    loadDistinct(port, tokens, 0, FILL);
  }

  /** Sends each of {@code tokens[from, to)} once, {@value #CONNECTIONS} at a time. */
  private static Result loadDistinct(int port, String[] tokens, int from, int to) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/private-scoped");
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest[] requests = new HttpRequest[to - from];
    for (int i = from; i < to; i++) {
      requests[i - from] = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + tokens[i])
          .timeout(Duration.ofSeconds(5)).GET().build();
    }
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    long start = System.nanoTime();
    List<long[]> latencies = run(client, () -> {
      int i = next.getAndIncrement();
      return i < requests.length ? requests[i] : null;
    }, Long.MAX_VALUE / 4);
    return result(latencies, (System.nanoTime() - start) / 1e9);
  }

  private static Result result(List<long[]> latencies, double elapsed) {
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter(x -> x > 0).sorted().toArray();
    return new Result(all.length / elapsed, all[all.length / 2], all[(int) (all.length * 0.99)], all.length, elapsed,
        all);
  }

  private static Result load(int port, String token, int seconds) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/private-scoped");
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(5)).GET().build();
    long start = System.nanoTime();
    List<long[]> latencies = run(client, () -> request, seconds * 1000L);
    return result(latencies, (System.nanoTime() - start) / 1e9);
  }

  /** Each connection sends the next request until the time is up or {@code next} answers null. */
  private static List<long[]> run(HttpClient client, java.util.function.Supplier<HttpRequest> next, long millis)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
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
    List<long[]> out = new ArrayList<>();
    for (Future<long[]> f : futures) {
      out.add(f.get());
    }
    pool.shutdown();
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " requests did not answer 200");
    }
    return out;
  }
}
