package dev.tokenward.samples.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.BearerErrorResponse;
import dev.tokenward.core.ResourceMetadataEndpoint;
import dev.tokenward.core.TokenRequest;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.core.VerifiedToken;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A framework-free reference implementation of the samples' contract on the JDK's HTTP server,
 * using core directly. It exists to test the contract tests themselves (and sample-support)
 * independently of the servlet filter and the JAX-RS feature.
 */
final class ReferenceServer implements SampleServer {
  private final HttpServer server;
  private final ExecutorService executor;

  private ReferenceServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  static SampleServer start(InetSocketAddress address, AccessTokenValidator validator, SampleConfiguration config)
      throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    ResourceMetadataEndpoint metadata = new ResourceMetadataEndpoint(config.resourceMetadata(validator));
    server.createContext("/.well-known/oauth-protected-resource", exchange -> {
      try (exchange) {
        if (!metadata.serves(exchange.getRequestURI().getRawPath())) {
          send(exchange, 404, "{\"error_description\":\"not found\"}");
          return;
        }
        byte[] body = metadata.document(origin(exchange), () -> java.util.List.of(Endpoint.READ_MESSAGES,
            Endpoint.ADMIN_ALL)).getBytes(StandardCharsets.UTF_8);
        metadata.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    server.createContext(SampleMetrics.PATH, exchange -> {
      try (exchange) {
        byte[] body = config.metrics().scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", SampleMetrics.CONTENT_TYPE);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    for (Endpoint endpoint : Endpoint.values()) {
      server.createContext(endpoint.path(), exchange -> {
        try (exchange) {
          if (!exchange.getRequestURI().getPath().equals(endpoint.path())) {
            send(exchange, 404, "{\"error_description\":\"not found\"}");
          } else if (!endpoint.needsToken()) {
            send(exchange, 200, SampleResponses.publicBody(endpoint, validator));
          } else {
            serveProtected(exchange, endpoint, validator, config, metadata.metadataUrl(origin(exchange)));
          }
        }
      });
    }
    server.createContext(SampleResponses.READY_PATH, exchange -> {
      try (exchange) {
        SampleResponses.Readiness readiness = SampleResponses.readiness(validator);
        send(exchange, readiness.status(), readiness.body());
      }
    });
    ExecutorService executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.start();
    return new ReferenceServer(server, executor);
  }

  /** {@code http://HOST} from the request's Host header, as a servlet container reads it. */
  private static String origin(HttpExchange exchange) {
    return "http://" + exchange.getRequestHeaders().getFirst("Host");
  }

  private static void serveProtected(HttpExchange exchange, Endpoint endpoint, AccessTokenValidator validator,
      SampleConfiguration config, String metadataUrl) throws IOException {
    TokenRequest request = null;
    try {
      // as the filters do: the whole request goes to core (Bearer or DPoP, RFC 9449), headers unparsed
      java.util.List<String> authorization = exchange.getRequestHeaders().getOrDefault("Authorization", java.util.List.of());
      java.util.List<String> proofs = exchange.getRequestHeaders().getOrDefault("DPoP", java.util.List.of());
      request = TokenRequest.builder(exchange.getRequestMethod(), origin(exchange) + exchange.getRequestURI())
          .authorization(authorization).dpopProofs(proofs).build();
      VerifiedToken token = validator.validate(request);
      if (endpoint.requirement(config.stepUp()).isPresent()) {
        endpoint.requirement(config.stepUp()).get().check(token);
      }
      validator.dpopNonce(request).ifPresent(nonce -> exchange.getResponseHeaders().set("DPoP-Nonce", nonce));
      send(exchange, 200, SampleResponses.verified(token));
    } catch (TokenValidationException e) {
      refuse(exchange, BearerErrorResponse.of(request == null ? e : validator.withChallenge(request, e),
          BearerErrorResponse.DEFAULT_REALM, metadataUrl));
    }
  }

  private static void refuse(HttpExchange exchange, BearerErrorResponse answer) throws IOException {
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.getResponseHeaders().put("WWW-Authenticate", answer.challenges()); // one header per challenge
    send(exchange, answer.status(), answer.body());
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", SampleResponses.CONTENT_TYPE);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void stop() {
    server.stop(0);
    executor.shutdownNow();
  }
}
