package dev.tokenward.samples.support;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.test.TestIssuer;
import java.net.URI;
import java.util.Optional;

/** A started sample: its server, its validator, and the embedded dev issuer if it runs one. */
public final class RunningSample implements AutoCloseable {
  private final SampleServer server;
  private final AccessTokenValidator validator;
  private final TestIssuer devIssuer; // null with a real issuer

  RunningSample(SampleServer server, AccessTokenValidator validator, TestIssuer devIssuer) {
    this.server = server;
    this.validator = validator;
    this.devIssuer = devIssuer;
  }

  public int port() {
    return server.port();
  }

  /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
  public URI baseUri() {
    return URI.create("http://" + SampleLauncher.HOST + ":" + port());
  }

  public AccessTokenValidator validator() {
    return validator;
  }

  /** The embedded dev issuer, when {@code TOKENWARD_ISSUER} was unset. */
  public Optional<TestIssuer> devIssuer() {
    return Optional.ofNullable(devIssuer);
  }

  /** Stops the server, then the dev issuer. Idempotent enough for a shutdown hook and a test. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the sample's server: " + e, e);
    } finally {
      if (devIssuer != null) {
        devIssuer.close();
      }
    }
  }
}
