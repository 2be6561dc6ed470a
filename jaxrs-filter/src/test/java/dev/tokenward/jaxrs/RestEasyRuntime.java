package dev.tokenward.jaxrs;

import io.undertow.Undertow;
import jakarta.ws.rs.core.Application;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Set;
import org.jboss.resteasy.plugins.server.undertow.UndertowJaxrsServer;

/** RESTEasy 6.2 on an embedded Undertow server; loaded only when RESTEasy is on the class path. */
final class RestEasyRuntime implements TestServer.Runtime {
  /** Exposes the Undertow instance to read the port it picked. */
  private static final class Server extends UndertowJaxrsServer {
    int port() {
      return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }
  }

  private final Server server;
  private final URI base;

  private RestEasyRuntime(Server server, String scheme) {
    this.server = server;
    this.base = URI.create(scheme + "://127.0.0.1:" + server.port() + "/");
  }

  static RestEasyRuntime start(Set<Class<?>> classes, Object feature) {
    return start(classes, feature, Undertow.builder().addHttpListener(0, "127.0.0.1"), "http");
  }

  /** Over TLS, asking for (not requiring) a client certificate, so a request without one still reaches the filter. */
  static RestEasyRuntime startTls(Set<Class<?>> classes, Object feature, javax.net.ssl.SSLContext tls) {
    return start(classes, feature, Undertow.builder().addHttpsListener(0, "127.0.0.1", tls)
        .setSocketOption(org.xnio.Options.SSL_CLIENT_AUTH_MODE, org.xnio.SslClientAuthMode.REQUESTED), "https");
  }

  private static RestEasyRuntime start(Set<Class<?>> classes, Object feature, Undertow.Builder undertow, String scheme) {
    Server server = new Server();
    server.start(undertow);
    try {
      server.deploy(new Application() {
        @Override
        public Set<Class<?>> getClasses() {
          return classes;
        }

        @Override
        public Set<Object> getSingletons() {
          return Set.of(feature);
        }
      });
    } catch (RuntimeException e) {
      server.stop();
      throw e;
    }
    return new RestEasyRuntime(server, scheme);
  }

  @Override
  public URI base() {
    return base;
  }

  @Override
  public void close() {
    server.stop();
  }
}
