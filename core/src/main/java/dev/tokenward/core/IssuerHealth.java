package dev.tokenward.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How one trusted issuer's key source stands, for health checks and readiness probes: whether
 * tokens of this issuer can be validated now, with how many keys, fetched when, and what failed
 * last. An operator reads it to tell an issuer outage from a bad client without reading logs.
 *
 * @param issuer the issuer, as configured
 * @param status {@link Status#UP}, {@link Status#DEGRADED} or {@link Status#DOWN}
 * @param keys how many usable keys are cached (static and HMAC keys included)
 * @param lastFetch when the keys were last fetched successfully; empty for static keys or before the first fetch
 * @param lastError what the last failed fetch said, naming the URL that failed; empty while fetches succeed
 * @param nextRefresh when the keys are next due for a background refresh; empty for static keys or before the first fetch
 */
public record IssuerHealth(String issuer, Status status, int keys, Optional<Instant> lastFetch,
    Optional<String> lastError, Optional<Instant> nextRefresh) {

  /** The state of an issuer's key source. */
  public enum Status {
    /** Keys are loaded and were refreshed within the refresh interval. */
    UP,
    /** Tokens still validate, but on cached keys while the key source fails, or on keys nearing the staleness limit. */
    DEGRADED,
    /** Nothing to validate with: no keys yet, or cached keys past the staleness limit. */
    DOWN
  }

  /** Checks that no component is null. */
  public IssuerHealth {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(lastFetch, "lastFetch");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(nextRefresh, "nextRefresh");
  }
}
