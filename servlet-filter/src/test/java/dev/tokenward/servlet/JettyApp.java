package dev.tokenward.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** An embedded Jetty 12 ee10 server on 127.0.0.1 and a free port, and an HTTP client for it. */
final class JettyApp implements AutoCloseable {
  static final OkHttpClient HTTP = new OkHttpClient.Builder()
      .callTimeout(20, TimeUnit.SECONDS)
      .retryOnConnectionFailure(false)
      .build();

  private final Server server;
  private final String base;

  private JettyApp(Server server, String base) {
    this.server = server;
    this.base = base;
  }

  /** Starts a context at {@code /app} with the echo servlet as default servlet, set up further by {@code setup}. */
  static JettyApp start(Consumer<ServletContextHandler> setup) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("jetty-test");
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/app");
    context.addServlet(new ServletHolder("echo", new TestServlets.Echo()), "/");
    setup.accept(context);
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      throw e;
    }
    return new JettyApp(server, "http://127.0.0.1:" + connector.getLocalPort() + "/app");
  }

  /** Starts with {@code filter} on every path for REQUEST dispatches. */
  static JettyApp withFilter(Filter filter, Consumer<ServletContextHandler> more) throws Exception {
    return start(context -> {
      context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
      more.accept(context);
    });
  }

  String url(String pathAndQuery) {
    return base + pathAndQuery;
  }

  Request.Builder request(String pathAndQuery) {
    return new Request.Builder().url(url(pathAndQuery));
  }

  Answer get(String pathAndQuery, String... headerNamesAndValues) throws IOException {
    Request.Builder b = request(pathAndQuery);
    for (int i = 0; i < headerNamesAndValues.length; i += 2) {
      b.addHeader(headerNamesAndValues[i], headerNamesAndValues[i + 1]);
    }
    return send(b.build());
  }

  Answer getWithToken(String pathAndQuery, String token) throws IOException {
    return get(pathAndQuery, "Authorization", "Bearer " + token);
  }

  static Answer send(Request request) throws IOException {
    try (Response r = HTTP.newCall(request).execute()) {
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (String name : r.headers().names()) {
        headers.put(name, new ArrayList<>(r.headers(name)));
      }
      return new Answer(r.code(), headers, r.body() == null ? "" : r.body().string());
    }
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  /** A response, read in full. */
  record Answer(int status, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> values = headers.getOrDefault(name, List.of());
      if (values.size() > 1) {
        throw new AssertionError("header " + name + " appears " + values.size() + " times: " + values);
      }
      return values.isEmpty() ? null : values.get(0);
    }
  }
}
