package dev.tokenward.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a validator tells operators at start: one line on what it accepts, and the optional eager key fetch. */
final class ValidatorStartup {
  private static final Logger log = LoggerFactory.getLogger(AccessTokenValidator.class);

  private ValidatorStartup() {}

  /** Logs {@link #describe} at INFO, once per validator. */
  static void started(List<IssuerState> issuers) {
    if (log.isInfoEnabled()) {
      log.info(describe(issuers));
    }
  }

  /** One line: per issuer its audiences, algorithms, opaque policy and key source. Never a secret. */
  static String describe(List<IssuerState> issuers) {
    List<String> parts = new ArrayList<>();
    for (IssuerState s : issuers) {
      TrustedIssuer t = s.config;
      parts.add("issuer " + t.issuer + " audiences " + t.audiences + " algorithms " + t.algorithms
          + " opaque tokens " + t.opaqueTokens.name().toLowerCase(Locale.ROOT) + " keys " + keySource(s));
    }
    return "tokenward validator accepts tokens of " + String.join("; ", parts);
  }

  private static String keySource(IssuerState s) {
    TrustedIssuer t = s.config;
    List<String> sources = new ArrayList<>();
    if (t.staticKeys != null) {
      sources.add("static (" + t.staticKeys.getKeys().size() + " configured)");
    } else if (s.fetchesKeys()) {
      sources.add(t.jwksUri != null ? "from JWKS " + t.jwksUri : "from the JWKS named by discovery");
    }
    if (t.hmacSecret != null) {
      sources.add("a shared secret for " + t.algorithms.stream().filter(a -> a.startsWith("HS")).sorted().toList());
    }
    return String.join(" and ", sources);
  }

  /**
   * Fetches the keys of every issuer that has none yet, waiting at most {@code timeout} in all.
   *
   * @return the issuers whose keys are still missing (empty: all loaded); each is logged at WARN
   */
  static List<String> warmUp(List<IssuerState> issuers, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<CompletableFuture<KeySet>> started = new ArrayList<>();
    for (IssuerState s : issuers) {
      CompletableFuture<KeySet> f = s.keysLoaded() ? null : s.prefetch();
      if (f != null) {
        started.add(f);
      }
    }
    for (CompletableFuture<KeySet> f : started) {
      Refresher.await(f, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    List<String> missing = new ArrayList<>();
    for (IssuerState s : issuers) {
      if (!s.keysLoaded()) {
        missing.add(s.config.issuer);
        log.warn("tokenward warm-up: the keys of {} could not be fetched within {} ms; tokens will be answered 503 "
            + "until they can", s.config.issuer, timeout.toMillis());
      }
    }
    return missing;
  }
}
