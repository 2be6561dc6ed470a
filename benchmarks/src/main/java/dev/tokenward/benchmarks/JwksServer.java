package dev.tokenward.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback-only issuer: {@code GET /.well-known/jwks.json} and {@code GET /.well-known/openid-configuration}
 * on {@code 127.0.0.1} (JDK {@code com.sun.net.httpserver}, daemon threads). Anything else is 404.
 */
public final class JwksServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicLong jwksRequests = new AtomicLong();
    private volatile byte[] jwks;
    private volatile byte[] discovery;

    private JwksServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds an ephemeral port on 127.0.0.1; serves 503 until {@link #serve(Material)}. */
    public static JwksServer start() {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK:
        // ~40 ms per response on loopback, which would swamp the cold-start scenario. Read once, at class init.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "jwks-server");
                t.setDaemon(true);
                return t;
            });
            http.setExecutor(executor);
            JwksServer s = new JwksServer(http, executor);
            http.createContext("/", s::handle);
            http.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public long jwksRequests() {
        return jwksRequests.get();
    }

    public void serve(Material m) {
        this.jwks = m.jwksJson.getBytes(StandardCharsets.UTF_8);
        this.discovery = ("{\"issuer\":\"" + m.issuer + "\","
                + "\"jwks_uri\":\"" + m.jwksUri + "\","
                + "\"authorization_endpoint\":\"" + m.issuer + "authorize\","
                + "\"token_endpoint\":\"" + m.issuer + "oauth/token\","
                + "\"userinfo_endpoint\":\"" + m.issuer + "userinfo\","
                + "\"response_types_supported\":[\"code\"],"
                + "\"subject_types_supported\":[\"public\"],"
                + "\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\"]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            byte[] body;
            if (path.equals("/.well-known/jwks.json")) {
                jwksRequests.incrementAndGet();
                body = jwks;
            } else if (path.equals("/.well-known/openid-configuration")) {
                body = discovery;
            } else {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            if (body == null || !"GET".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(body == null ? 503 : 405, -1);
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "public, max-age=3600");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
