package com.example.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenward.core.RequiresScopes;
import dev.tokenward.jaxrs.TokenwardFeature;
import dev.tokenward.test.TestIssuer;
import dev.tokenward.test.TestIssuerExtension;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OrdersResourceTest {
  static final String API = "https://orders.example.com";

  @RegisterExtension // an Auth0-like issuer on a free loopback port, for this class
  static final TestIssuerExtension AUTH = new TestIssuerExtension(TestIssuer.builder().api(API, "read:orders"));

  static HttpServer server;
  static URI base;

  /** Stands for your application's resource. */
  @Path("/orders")
  public static class OrdersResource {
    @GET
    @RequiresScopes("read:orders")
    public String list(@Context SecurityContext security) {
      return "orders of " + security.getUserPrincipal().getName();
    }
  }

  @BeforeAll
  static void startApp() {
    ResourceConfig app = new ResourceConfig(OrdersResource.class)
        .register(TokenwardFeature.builder(AUTH.issuer().validator()).build()); // trusts the test issuer
    server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), app);
    base = URI.create("http://127.0.0.1:" + server.getListeners().iterator().next().getPort() + "/");
  }

  @AfterAll
  static void stopApp() {
    server.shutdownNow();
  }

  static HttpResponse<String> getOrders(String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("orders"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void tokenWithTheScopeGets200() throws Exception {
    String token = AUTH.issuer().jwt().subject("auth0|alice").scopes("read:orders").sign();
    HttpResponse<String> response = getOrders(token);
    assertEquals(200, response.statusCode());
    assertEquals("orders of auth0|alice", response.body());
  }

  @Test
  void tokenWithoutTheScopeGets403() throws Exception {
    assertEquals(403, getOrders(AUTH.issuer().jwt().scopes("write:orders").sign()).statusCode());
  }

  @Test
  void expiredForgedOrMissingTokenGets401() throws Exception {
    assertEquals(401, getOrders(AUTH.issuer().jwt().scopes("read:orders").expired().sign()).statusCode());
    assertEquals(401, getOrders(AUTH.issuer().jwt().scopes("read:orders").wronglySigned().sign()).statusCode());
    assertEquals(401, getOrders(null).statusCode());
  }
}
