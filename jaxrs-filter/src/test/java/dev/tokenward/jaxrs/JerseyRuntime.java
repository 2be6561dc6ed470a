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

  private JerseyRuntime(HttpServer server) {
    this.server = server;
    this.base = URI.create("http://127.0.0.1:" + server.getListeners().iterator().next().getPort() + "/");
  }

  static JerseyRuntime start(Set<Class<?>> classes, Object feature) {
    ResourceConfig config = new ResourceConfig(classes).register(feature);
    return new JerseyRuntime(GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), config, true));
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
