package dev.tokenward.jaxrs;

import dev.tokenward.jaxrs.resources.ForwardedProto;
import dev.tokenward.jaxrs.resources.TokenPropertyHeader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Jakarta REST application at 127.0.0.1 on a free port, on whichever runtime the test class path
 * holds: Jersey 3.1 on Grizzly (surefire's default execution) or RESTEasy 6.2 on Undertow (the
 * {@code resteasy} execution), so that every test runs on both.
 */
final class TestServer implements AutoCloseable {
  /** True when the tests run on Jersey, false on RESTEasy. */
  static final boolean JERSEY = present("org.glassfish.jersey.server.ResourceConfig");
  /** The runtime's name, for messages. */
  static final String RUNTIME = JERSEY ? "Jersey" : "RESTEasy";

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  /** One started runtime. */
  interface Runtime extends AutoCloseable {
    /** The base URI, ending in {@code /}. */
    URI base();

    @Override
    void close();
  }

  private final Runtime runtime;
  private final URI base;

  private TestServer(Runtime runtime) {
    this.runtime = runtime;
    this.base = runtime.base();
  }

  /** Starts the feature with these resource classes, plus the test's helper filters. */
  static TestServer start(TokenwardFeature feature, Class<?>... resources) {
    Set<Class<?>> classes = new LinkedHashSet<>(List.of(resources));
    classes.add(ForwardedProto.class);
    classes.add(TokenPropertyHeader.class);
    return new TestServer(JERSEY ? JerseyRuntime.start(classes, feature) : RestEasyRuntime.start(classes, feature));
  }

  /** As {@link #start}, over TLS with {@code tls}, asking clients for a certificate (want, not need). */
  static TestServer startTls(TokenwardFeature feature, javax.net.ssl.SSLContext tls, Class<?>... resources) {
    Set<Class<?>> classes = new LinkedHashSet<>(List.of(resources));
    return new TestServer(JERSEY ? JerseyRuntime.startTls(classes, feature, tls) : RestEasyRuntime.startTls(classes, feature, tls));
  }

  /** The base URI, ending in {@code /}. */
  URI base() {
    return base;
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, TestServer.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
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
    runtime.close();
  }
}
