package dev.tokenward.test;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a test has done to the issuer's endpoints: which are down or cut off, how long each waits
 * before answering, and how many requests each has received. Thread-safe; read on every request.
 */
final class EndpointControls {

    /** What an endpoint does with a request: answer it, answer 503, or close the connection unanswered. */
    enum State { UP, DOWN, CUT_OFF }

    private final Map<IssuerEndpoint, AtomicInteger> counts = new EnumMap<>(IssuerEndpoint.class);
    private final Map<IssuerEndpoint, State> states = new EnumMap<>(IssuerEndpoint.class);
    private final Map<IssuerEndpoint, Duration> delays = new EnumMap<>(IssuerEndpoint.class);

    EndpointControls() {
        for (IssuerEndpoint e : IssuerEndpoint.values()) {
            counts.put(e, new AtomicInteger());
        }
    }

    /** Counts the request, then waits for the configured delay. Returns what the endpoint does with it. */
    State arrive(IssuerEndpoint endpoint) throws InterruptedException {
        counts.get(endpoint).incrementAndGet();
        Duration delay;
        State state;
        synchronized (this) {
            delay = delays.get(endpoint);
            state = states.getOrDefault(endpoint, State.UP);
        }
        if (delay != null) {
            Thread.sleep(delay.toMillis());
        }
        return state;
    }

    synchronized void state(IssuerEndpoint endpoint, State state) {
        states.put(Objects.requireNonNull(endpoint, "endpoint"), Objects.requireNonNull(state, "state"));
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
        states.clear();
        delays.clear();
        counts.values().forEach(c -> c.set(0));
    }
}
