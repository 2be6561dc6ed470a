package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.tokenward.core.Requirement;
import dev.tokenward.servlet.BearerTokenFilter;
import dev.tokenward.test.*;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.*;
import java.net.http.*;
import org.eclipse.jetty.ee10.servlet.*;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.*;

@WithTestIssuer // an Auth0-like issuer on a free loopback port, handed to the methods below
class OrdersApiTest {
  static final Server server = new Server(new java.net.InetSocketAddress("127.0.0.1", 0));
  @BeforeAll static void start(TestIssuer issuer) throws Exception {
    ServletContextHandler app = new ServletContextHandler();
    app.addServlet(new ServletHolder(new HttpServlet() {
      @Override protected void doGet(HttpServletRequest q, HttpServletResponse r) throws java.io.IOException { r.getWriter().print("ok"); }
    }), "/orders");
    app.addFilter(new FilterHolder(BearerTokenFilter.builder(issuer.validator())
        .require("/orders", Requirement.allOf("read:orders")).build()), "/*", java.util.EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(app);
    server.start();
  }
  @AfterAll static void stop() throws Exception { server.stop(); }
  static int get(String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(server.getURI().resolve("/orders"));
    if (token != null) r.header("Authorization", "Bearer " + token);
    return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
  @Test void readOrders(TestIssuer issuer) throws Exception {
    assertEquals(200, get(issuer.jwt().scopes("read:orders").sign()));
    assertEquals(403, get(issuer.jwt().scopes("write:orders").sign()));
    assertEquals(401, get(issuer.jwt().scopes("read:orders").expired().sign()));
    assertEquals(401, get(null));
  }
}
