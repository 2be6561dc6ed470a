package dev.tokenward.test;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a test has done to the issuer's endpoints: which are down, how long each waits before
 * answering, and how many requests each has received. Thread-safe; read on every request.
 */
final class EndpointControls {

    private final Map<IssuerEndpoint, AtomicInteger> counts = new EnumMap<>(IssuerEndpoint.class);
    private final Map<IssuerEndpoint, Boolean> down = new EnumMap<>(IssuerEndpoint.class);
    private final Map<IssuerEndpoint, Duration> delays = new EnumMap<>(IssuerEndpoint.class);

    EndpointControls() {
        for (IssuerEndpoint e : IssuerEndpoint.values()) {
            counts.put(e, new AtomicInteger());
        }
    }

    /** Counts the request, then waits for the configured delay. Returns true when the endpoint is down. */
    boolean arrive(IssuerEndpoint endpoint) throws InterruptedException {
        counts.get(endpoint).incrementAndGet();
        Duration delay;
        boolean isDown;
        synchronized (this) {
            delay = delays.get(endpoint);
            isDown = Boolean.TRUE.equals(down.get(endpoint));
        }
        if (delay != null) {
            Thread.sleep(delay.toMillis());
        }
        return isDown;
    }

    synchronized void down(IssuerEndpoint endpoint, boolean isDown) {
        down.put(Objects.requireNonNull(endpoint, "endpoint"), isDown);
    }

    synchronized void delay(IssuerEndpoint endpoint, Duration delay) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (delay == null || delay.isZero()) {
            delays.remove(endpoint);
        } else if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        } else {
            delays.put(endpoint, delay);
        }
    }

    int count(IssuerEndpoint endpoint) {
        return counts.get(Objects.requireNonNull(endpoint, "endpoint")).get();
    }

    synchronized void reset() {
        down.clear();
        delays.clear();
        counts.values().forEach(c -> c.set(0));
    }
}
