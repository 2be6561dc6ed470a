package dev.tokenward.samples.servlet;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.samples.support.Endpoint;
import dev.tokenward.samples.support.SampleConfiguration;
import dev.tokenward.samples.support.SampleLauncher;
import dev.tokenward.samples.support.SampleMetrics;
import dev.tokenward.samples.support.SampleResponses;
import dev.tokenward.samples.support.SampleServer;
import dev.tokenward.servlet.BearerTokenFilter;
import jakarta.servlet.DispatcherType;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The servlet sample: embedded Jetty 12 (EE10), one servlet per endpoint, and tokenward's
 * {@link BearerTokenFilter} guarding them by the endpoint table. Configuration, the dev issuer and
 * the start-up lines come from sample-support; see shared/SAMPLES-CONTRACT.md.
 */
public final class ServletSample {
  public static final String NAME = "servlet-sample";

  private ServletSample() {}

  public static void main(String[] args) {
    SampleLauncher.main(NAME, ServletSample::server, args);
  }

  /** Starts Jetty on {@code address} with the filter built from {@code validator}, with the contract's default settings. */
  public static SampleServer server(InetSocketAddress address, AccessTokenValidator validator) throws Exception {
    return server(address, validator, SampleConfiguration.fromEnvironment(java.util.Map.of()));
  }

  /**
   * Starts Jetty on {@code address} with the filter built from {@code validator}, publishing the
   * RFC 9728 metadata and guarding {@code /api/step-up} with the step-up policy of {@code config}.
   */
  public static SampleServer server(InetSocketAddress address, AccessTokenValidator validator, SampleConfiguration config)
      throws Exception {
    BearerTokenFilter.Builder filter = BearerTokenFilter.builder(validator)
        .resourceMetadata(config.resourceMetadata(validator));
    ServletContextHandler context = new ServletContextHandler();
    for (Endpoint endpoint : Endpoint.values()) {
      switch (endpoint.access()) {
        case TOKEN -> filter.authenticated(endpoint.path());
        case GRANT, STEP_UP -> filter.require(endpoint.path(), endpoint.requirement(config.stepUp()).orElseThrow());
        case NONE -> { }
      }
      context.addServlet(new ServletHolder(endpoint.name(), new EndpointServlet(endpoint, validator)), endpoint.path());
    }
    context.addServlet(new ServletHolder("metrics", new MetricsServlet(config.metrics())), SampleMetrics.PATH);
    context.addServlet(new ServletHolder("READY", new ReadyServlet(validator)), SampleResponses.READY_PATH);
    context.addFilter(new FilterHolder(filter.build()), "/*", EnumSet.of(DispatcherType.REQUEST));

    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(address.getHostString());
    connector.setPort(address.getPort());
    server.addConnector(connector);
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      throw e;
    }
    return new SampleServer() {
      @Override
      public int port() {
        return connector.getLocalPort();
      }

      @Override
      public void stop() throws Exception {
        server.stop();
      }
    };
  }
}
