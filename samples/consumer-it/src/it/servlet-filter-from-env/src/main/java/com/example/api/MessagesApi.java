package com.example.api;

import dev.tokenward.servlet.BearerTokenFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A service as a user writes it: Jetty, one servlet, and tokenward's filter with no configuration in code. */
public final class MessagesApi {
  private MessagesApi() {}

  /** Starts on 127.0.0.1:port (0 = a free one); the filter reads TOKENWARD_* from the environment at init. */
  public static Server start(int port) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addFilter(BearerTokenFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setContentType("text/plain");
        res.getWriter().print(req.getRemoteUser() == null ? "hello anonymous" : "hello " + req.getRemoteUser());
      }
    }), "/*");
    server.setHandler(context);
    server.start();
    return server;
  }

  public static void main(String[] args) throws Exception {
    start(Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"))).join();
  }
}
