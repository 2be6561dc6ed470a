package dev.tokenward.jaxrs;

import java.net.URI;
import java.util.Set;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/** Jersey 3.1 on an embedded Grizzly server; loaded only when Jersey is on the class path. */
final class JerseyRuntime implements TestServer.Runtime {
  private final HttpServer server;
  private final URI base;

  private JerseyRuntime(HttpServer server, String scheme) {
    this.server = server;
    this.base = URI.create(scheme + "://127.0.0.1:" + server.getListeners().iterator().next().getPort() + "/");
  }

  static JerseyRuntime start(Set<Class<?>> classes, Object feature) {
    ResourceConfig config = new ResourceConfig(classes).register(feature);
    return new JerseyRuntime(GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), config, true),
        "http");
  }

  /** Over TLS, asking for (not requiring) a client certificate, so a request without one still reaches the filter. */
  static JerseyRuntime startTls(Set<Class<?>> classes, Object feature, javax.net.ssl.SSLContext tls) {
    ResourceConfig config = new ResourceConfig(classes).register(feature);
    org.glassfish.grizzly.ssl.SSLEngineConfigurator ssl =
        new org.glassfish.grizzly.ssl.SSLEngineConfigurator(tls, false, false, true);
    return new JerseyRuntime(GrizzlyHttpServerFactory.createHttpServer(URI.create("https://127.0.0.1:0/"), config, true,
        ssl), "https");
  }

  @Override
  public URI base() {
    return base;
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
