package dev.tokenward.test;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link TestIssuer}'s HTTP server: bound to loopback only, served by a small pool of daemon
 * threads, so a test that forgets to close it never keeps the JVM alive and nothing off the host reaches it.
 */
final class IssuerServer {

    private static final String LOOPBACK = "127.0.0.1";

    private final HttpServer http;
    private ExecutorService pool;

    private IssuerServer(HttpServer http) {
        this.http = http;
    }

    /**
     * Binds 127.0.0.1 on {@code port} (0 = a free port) without serving yet.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    static IssuerServer bind(int port) {
        try {
            return new IssuerServer(HttpServer.create(
                    new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + LOOPBACK + ":" + port, e);
        }
    }

    /** {@code http://127.0.0.1:PORT/}, with the trailing slash Auth0 uses. */
    String issuer() {
        return "http://" + LOOPBACK + ":" + http.getAddress().getPort() + "/";
    }

    /** Starts answering every path with {@code handler}. */
    void serve(HttpHandler handler) {
        // 8 threads: a test may slow an endpoint down (delay) while others keep answering
        pool = new ThreadPoolExecutor(8, 8, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(256),
                daemonThreads(), new ThreadPoolExecutor.AbortPolicy());
        http.createContext("/", handler);
        http.setExecutor(pool);
        http.start();
    }

    /** Stops serving at once and releases the port. */
    void stop() {
        http.stop(0);
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "test-issuer-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
