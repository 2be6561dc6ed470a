package dev.tokenward.jaxrs;

import dev.tokenward.jaxrs.resources.ForwardedProto;
import dev.tokenward.jaxrs.resources.TokenPropertyHeader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/** A Jersey 3.1 application on an embedded Grizzly server at 127.0.0.1, on a free port. */
final class TestServer implements AutoCloseable {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private final HttpServer server;
  private final URI base;

  private TestServer(ResourceConfig config) {
    this.server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), config, true);
    int port = server.getListeners().iterator().next().getPort();
    this.base = URI.create("http://127.0.0.1:" + port + "/");
  }

  /** Starts the feature with these resource classes, plus the test's helper filters. */
  static TestServer start(TokenwardFeature feature, Class<?>... resources) {
    ResourceConfig config = new ResourceConfig(resources)
        .register(feature)
        .register(ForwardedProto.class)
        .register(TokenPropertyHeader.class);
    return new TestServer(config);
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = request(path).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.build());
  }

  /** GET with {@code Authorization: Bearer TOKEN}. */
  HttpResponse<String> getWithToken(String path, String token) throws Exception {
    return get(path, "Authorization", "Bearer " + token);
  }

  static HttpResponse<String> send(HttpRequest request) throws Exception {
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static HttpClient client() {
    return CLIENT;
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
