package com.example.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenward.core.Requirement;
import dev.tokenward.servlet.BearerTokenFilter;
import dev.tokenward.test.TestIssuer;
import dev.tokenward.test.TestIssuerExtension;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OrdersServletTest {
  static final String API = "https://orders.example.com";

  @RegisterExtension // an Auth0-like issuer on a free loopback port, for this class
  static final TestIssuerExtension AUTH = new TestIssuerExtension(TestIssuer.builder().api(API, "read:orders"));

  static Server server;

  /** Stands for your application's servlet. */
  public static class OrdersServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      response.getWriter().write("orders of " + request.getUserPrincipal().getName());
    }
  }

  @BeforeAll
  static void startApp() throws Exception {
    BearerTokenFilter filter = BearerTokenFilter.builder(AUTH.issuer().validator()) // trusts the test issuer
        .require("/orders", Requirement.allOf("read:orders"))
        .build();
    ServletContextHandler app = new ServletContextHandler();
    app.addServlet(OrdersServlet.class, "/orders");
    app.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    server = new Server(new InetSocketAddress("127.0.0.1", 0));
    server.setHandler(app);
    server.start();
  }

  @AfterAll
  static void stopApp() throws Exception {
    server.stop();
  }

  static HttpResponse<String> getOrders(String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.getURI().resolve("/orders"));
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
