package dev.tokenward.samples.support;

import dev.tokenward.core.AccessTokenValidator;
import java.net.InetSocketAddress;

/** An HTTP server that serves the {@link Endpoint} table, started by a sample's framework. */
public interface SampleServer {

  /** The port actually bound (the free one picked when asked for port 0). */
  int port();

  /** Stops serving and releases the port. */
  void stop() throws Exception;

  /**
   * How a sample starts its server: bind {@code address}, protect the endpoints with
   * {@code validator}, publish the RFC 9728 metadata and apply the step-up policy of {@code config}.
   */
  @FunctionalInterface
  interface Factory {
    /** Starts the server; {@code config} holds the settings beyond the validator (resource, step-up). */
    SampleServer start(InetSocketAddress address, AccessTokenValidator validator, SampleConfiguration config)
        throws Exception;
  }
}
