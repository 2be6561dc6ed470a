package dev.tokenward.samples.jaxrs;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.jaxrs.TokenwardFeature;
import dev.tokenward.samples.support.SampleConfiguration;
import dev.tokenward.samples.support.SampleLauncher;
import dev.tokenward.samples.support.SampleServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The JAX-RS sample: Jersey 3.1 on an embedded Grizzly server, with tokenward's
 * {@link TokenwardFeature} enforcing the annotations of {@link SampleResource}. Configuration, the
 * dev issuer and the start-up lines come from sample-support; see shared/SAMPLES-CONTRACT.md.
 */
public final class JaxrsSample {
  public static final String NAME = "jaxrs-sample";
  /** Grizzly and Jersey log through java.util.logging: only warnings, like the other libraries. */
  private static final Logger GLASSFISH_LOG = Logger.getLogger("org.glassfish");
  /** ... except the start-up warning that jakarta.activation (for a DataSource body writer this API never uses) is absent. */
  private static final Logger JERSEY_PROVIDERS_LOG =
      Logger.getLogger("org.glassfish.jersey.message.internal");

  private JaxrsSample() {}

  public static void main(String[] args) {
    SampleLauncher.main(NAME, JaxrsSample::server, args);
  }

  /** Starts Jersey on Grizzly at {@code address}, with the feature built from {@code validator}, with the contract's default settings. */
  public static SampleServer server(InetSocketAddress address, AccessTokenValidator validator) throws IOException {
    return server(address, validator, SampleConfiguration.fromEnvironment(java.util.Map.of()));
  }

  /**
   * Starts Jersey on Grizzly at {@code address}, with the feature built from {@code validator},
   * publishing the RFC 9728 metadata and with the step-up policy of {@code config} for
   * {@code @RequiresStepUp}.
   */
  public static SampleServer server(InetSocketAddress address, AccessTokenValidator validator, SampleConfiguration config)
      throws IOException {
    GLASSFISH_LOG.setLevel(Level.WARNING);
    JERSEY_PROVIDERS_LOG.setLevel(Level.SEVERE);
    ResourceConfig application = new ResourceConfig(SampleResource.class)
        .register(new MetricsResource(config.metrics()))
        .register(TokenwardFeature.builder(validator)
            .resourceMetadata(config.resourceMetadata(validator))
            .stepUp(config.stepUp())
            .build())
        .property(ServerProperties.WADL_FEATURE_DISABLE, true)
        .property(SampleResource.VALIDATOR_PROPERTY, validator);
    URI uri = URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/");
    HttpServer server = GrizzlyHttpServerFactory.createHttpServer(uri, application, false);
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      server.shutdownNow();
      throw e;
    }
    int port = server.getListeners().iterator().next().getPort();
    return new SampleServer() {
      @Override
      public int port() {
        return port;
      }

      @Override
      public void stop() {
        server.shutdownNow();
      }
    };
  }
}
