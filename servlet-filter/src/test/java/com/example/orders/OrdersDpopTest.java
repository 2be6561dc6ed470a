package com.example.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenward.core.Requirement;
import dev.tokenward.servlet.BearerTokenFilter;
import dev.tokenward.test.DpopKey;
import dev.tokenward.test.TestIssuer;
import dev.tokenward.test.TestIssuerExtension;
import jakarta.servlet.DispatcherType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OrdersDpopTest {
  static final String API = "https://orders.example.com";

  @RegisterExtension
  static final TestIssuerExtension AUTH = new TestIssuerExtension(TestIssuer.builder().api(API, "read:orders"));

  static Server server;
  static URI orders;

  @BeforeAll
  static void startApp() throws Exception {
    BearerTokenFilter filter = BearerTokenFilter.builder(AUTH.issuer().validator()) // DPoP allowed by default
        .require("/orders", Requirement.allOf("read:orders"))
        .build();
    ServletContextHandler app = new ServletContextHandler();
    app.addServlet(OrdersServletTest.OrdersServlet.class, "/orders");
    app.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    server = new Server(new InetSocketAddress("127.0.0.1", 0));
    server.setHandler(app);
    server.start();
    orders = server.getURI().resolve("/orders");
  }

  @AfterAll
  static void stopApp() throws Exception {
    server.stop();
  }

  static int getOrders(String authorization, String proof) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(orders).header("Authorization", authorization);
    if (proof != null) {
      request.header("DPoP", proof);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void boundTokenWithAProofOfItsKeyGets200() throws Exception {
    DpopKey key = DpopKey.es256(); // the client's key
    String token = AUTH.issuer().jwt().scopes("read:orders").boundTo(key).sign(); // cnf.jkt = its thumbprint
    String proof = key.proof().method("GET").url(orders).accessToken(token).sign();
    assertEquals(200, getOrders("DPoP " + token, proof));
  }

  @Test
  void stolenOrReplayedOrStaleProofsGet401() throws Exception {
    DpopKey key = DpopKey.es256();
    String token = AUTH.issuer().jwt().scopes("read:orders").boundTo(key).sign();
    assertEquals(401, getOrders("Bearer " + token, null)); // a bound token without its proof
    assertEquals(401, getOrders("DPoP " + token, DpopKey.es256().proof().url(orders).accessToken(token).sign()));
    assertEquals(401, getOrders("DPoP " + token, key.proof().method("POST").url(orders).accessToken(token).sign()));
    assertEquals(401, getOrders("DPoP " + token,
        key.proof().url(orders).accessToken(token).age(Duration.ofMinutes(10)).sign()));
    String once = key.proof().url(orders).accessToken(token).sign();
    assertEquals(200, getOrders("DPoP " + token, once));
    assertEquals(401, getOrders("DPoP " + token, once));
  }
}
