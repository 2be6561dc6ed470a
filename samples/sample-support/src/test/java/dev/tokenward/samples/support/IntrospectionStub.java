package dev.tokenward.samples.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal RFC 7662 endpoint for the contract tests: it requires HTTP Basic with one client's
 * credentials and answers {@code active: true} with the claims registered for a token, else
 * {@code active: false}. (The dev issuer's opaque tokens are Auth0's: good only for /userinfo, so
 * its introspection rightly names an audience that is not the API's.)
 */
final class IntrospectionStub implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private final AtomicInteger authenticatedCalls = new AtomicInteger();

  IntrospectionStub(String clientId, String clientSecret) {
    String expected = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret)
        .getBytes(StandardCharsets.UTF_8));
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/introspect", exchange -> {
      try (exchange) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String json;
        int status = 200;
        if (!"POST".equals(exchange.getRequestMethod()) || !expected.equals(auth)) {
          status = 401;
          json = "{\"error\":\"invalid_client\"}";
        } else {
          authenticatedCalls.incrementAndGet();
          String token = null;
          for (String pair : body.split("&")) {
            if (pair.startsWith("token=")) {
              token = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
            }
          }
          json = token == null ? null : answers.get(token);
          if (json == null) {
            json = "{\"active\":false}";
          }
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    });
    server.start();
  }

  /** Registers an active token for {@code audience} with a subject and space-separated scopes, valid for an hour. */
  IntrospectionStub active(String token, String subject, String audience, String scope) {
    long now = System.currentTimeMillis() / 1000;
    answers.put(token, "{\"active\":true,\"sub\":" + SampleResponses.quote(subject) + ",\"aud\":"
        + SampleResponses.quote(audience) + ",\"scope\":" + SampleResponses.quote(scope) + ",\"iat\":" + now
        + ",\"exp\":" + (now + 3600) + ",\"token_type\":\"access_token\"}");
    return this;
  }

  String uri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/introspect";
  }

  /** How many calls came with the right client credentials. */
  int authenticatedCalls() {
    return authenticatedCalls.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
