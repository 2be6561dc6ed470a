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
 * sending one request after another for a fixed time; requests/s and p50/p99 latency.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tokenward.benchmarks.EndToEnd [seconds]}
 */
public final class EndToEnd {
  private static final int CONNECTIONS = 16;

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    try (TestIssuer issuer = TestIssuer.defaults().start()) {
      String token = issuer.accessToken(TestIssuer.DEMO_CLIENT, TestIssuer.DEFAULT_API, TestIssuer.READ_MESSAGES);
      AccessTokenValidator validator = AccessTokenValidator.builder()
          .issuer(issuer.issuer()).audience(TestIssuer.DEFAULT_API).build();
      VerifiedToken verified = validator.validate(token);

      SampleServer withFilter = ServletSample.server(new InetSocketAddress("127.0.0.1", 0), validator);
      Server withoutFilter = plainServer(SampleResponses.verified(verified));
      int plainPort = ((ServerConnector) withoutFilter.getConnectors()[0]).getLocalPort();
      try {
        System.out.printf("%d connections, %d s per run after a %d s warm-up, GET /api/private-scoped%n%n",
            CONNECTIONS, seconds, Math.max(3, seconds / 3));
        System.out.println("| service | requests/s | p50 µs | p99 µs |");
        System.out.println("|---|---:|---:|---:|");
        Result plain = load(plainPort, token, seconds);
        Result filtered = load(withFilter.port(), token, seconds);
        System.out.println(plain.row("servlet, filter removed"));
        System.out.println(filtered.row("servlet sample with BearerTokenFilter (token cache on)"));
        System.out.printf("%nfilter's cost: %.2f of the throughput without it%n", filtered.rate / plain.rate);
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

  private record Result(double rate, long p50Nanos, long p99Nanos) {
    String row(String name) {
      return String.format("| %s | %,.0f | %,d | %,d |", name, rate, p50Nanos / 1000, p99Nanos / 1000);
    }
  }

  private static Result load(int port, String token, int seconds) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/private-scoped");
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(5)).GET().build();
    run(client, request, Math.max(3, seconds / 3) * 1000L); // warm-up
    long start = System.nanoTime();
    List<long[]> latencies = run(client, request, seconds * 1000L);
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter(x -> x > 0).sorted().toArray();
    return new Result(all.length / elapsed, all[all.length / 2], all[(int) (all.length * 0.99)]);
  }

  private static List<long[]> run(HttpClient client, HttpRequest request, long millis) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
    long deadline = System.currentTimeMillis() + millis;
    AtomicLong failures = new AtomicLong();
    List<Future<long[]>> futures = new ArrayList<>();
    for (int c = 0; c < CONNECTIONS; c++) {
      futures.add(pool.submit(() -> {
        long[] samples = new long[1 << 20]; // bounded: at most this many requests per client
        int n = 0;
        while (n < samples.length && System.currentTimeMillis() < deadline) {
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
