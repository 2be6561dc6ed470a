package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Soak (issue 7), opt-in: {@code mvn -B -pl core verify -Psoak -Dsoak.minutes=10} (default 1 minute).
 *
 * <p>Four threads validate a mix of valid, expired, forged, retired-key and opaque tokens while the
 * issuer rotates its keys every {@value #PHASE_SECONDS} s, the way Auth0 does: the next key is
 * published a phase before it signs, and the old one is dropped a phase after it stopped signing.
 * With four keys in a ring, during phase {@code i} key {@code i} signs, key {@code i+1} is published
 * for the next phase, and key {@code i-2} has been gone for a whole phase. Every decision is then
 * exact; a sample that straddles a phase change is only required not to accept a forgery.
 *
 * <p>Asserts: zero wrong decisions, no exception other than {@link TokenValidationException}, caches
 * within their bounds, and heap after GC roughly flat (the numbers are printed).
 */
@Tag("soak")
class SoakTest {
  private static final int PHASE_SECONDS = 5;
  private static final int TOKEN_CACHE = 2_000;
  private static final int ONLINE_CACHE = 500;

  /** What one phase signs with and what may be asked of it. */
  private record Phase(int number, int generation, RSAKey current, RSAKey retired, List<String> valid, List<String> expired,
      List<String> forged, List<String> retiredTokens, List<String> opaque) {}

  @Test
  void validatesAMixWhileKeysRotate() throws Exception {
    double minutes = Double.parseDouble(System.getProperty("soak.minutes", "1"));
    long endNanos = System.nanoTime() + (long) (minutes * 60e9);
    RSAKey[] ring = new RSAKey[4];
    for (int i = 0; i < ring.length; i++) {
      ring[i] = i < 3 ? FakeIssuer.rsaKey(i) : new RSAKeyGenerator(2048).keyID("rsa-4").generate();
    }
    RSAKey attacker = new RSAKeyGenerator(2048).keyID("attacker").generate();

    try (SoakIssuer issuer = new SoakIssuer()) {
      AccessTokenValidator validator = AccessTokenValidator.builder()
          .issuer(issuer.issuer())
          .audience(FakeIssuer.AUDIENCE)
          .opaqueTokens(OpaqueTokenPolicy.USERINFO)
          .jwksRefetchCooldown(Duration.ofSeconds(1))
          .jwksRefreshInterval(Duration.ofSeconds(2))
          .tokenCache(TOKEN_CACHE, Duration.ofMinutes(5))
          .onlineCache(ONLINE_CACHE, Duration.ofSeconds(60))
          .build();

      AtomicInteger opaqueSerial = new AtomicInteger();
      AtomicInteger generation = new AtomicInteger();
      issuer.publish(ring[0], ring[1]);
      java.util.concurrent.atomic.AtomicReference<Phase> phase = new java.util.concurrent.atomic.AtomicReference<>(
          mint(issuer, 0, 0, ring, attacker, opaqueSerial));
      Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
      List<String> wrong = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean running = new AtomicBoolean(true);
      List<String> heap = new ArrayList<>();
      long baseline = 0;

      ExecutorService workers = Executors.newFixedThreadPool(4);
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        futures.add(workers.submit(() -> work(validator, phase, generation, running, outcomes, wrong)));
      }
      try {
        long nextPhase = System.nanoTime() + TimeUnit.SECONDS.toNanos(PHASE_SECONDS);
        long nextSample = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int number = 0;
        while (System.nanoTime() < endNanos && wrong.isEmpty()) {
          Thread.sleep(100);
          if (System.nanoTime() >= nextPhase) {
            number++;
            // mint first (slow), then in quick succession: bump the generation, publish (drops key i-1,
            // adds key i+1) and start using key i's tokens; a worker that sees the generation move while
            // it validates knows its sample straddled the change
            Phase next = mint(issuer, number, generation.get() + 1, ring, attacker, opaqueSerial);
            generation.incrementAndGet();
            issuer.publish(ring[number % 4], ring[(number + 1) % 4]);
            phase.set(next);
            nextPhase += TimeUnit.SECONDS.toNanos(PHASE_SECONDS);
          }
          if (System.nanoTime() >= nextSample) {
            issuer.forgetRequests();
            long used = usedHeapAfterGc();
            if (baseline == 0) {
              baseline = used;
            }
            heap.add(used / (1024 * 1024) + " MiB");
            System.out.printf("soak: phase %d, heap after GC %d MiB, token cache %d, online cache %d, JWKS fetches %d, %s%n",
                number, used / (1024 * 1024), cacheSize(validator, "token"), cacheSize(validator, "online"),
                issuer.jwksHits(), new TreeMap<>(outcomes));
            nextSample += TimeUnit.SECONDS.toNanos(10);
          }
        }
      } finally {
        running.set(false);
        for (Future<?> f : futures) {
          f.get(60, TimeUnit.SECONDS);
        }
        workers.shutdownNow();
      }

      issuer.forgetRequests();
      long finalHeap = usedHeapAfterGc();
      long total = outcomes.values().stream().mapToLong(LongAdder::sum).sum();
      System.out.printf("soak done: %.1f min, %d validations, outcomes %s, JWKS fetches %d, heap samples %s, final %d MiB%n",
          minutes, total, new TreeMap<>(outcomes), issuer.jwksHits(), heap, finalHeap / (1024 * 1024));

      assertThat(wrong).as("wrong decisions").isEmpty();
      assertThat(total).isPositive();
      assertThat(cacheSize(validator, "token")).isLessThanOrEqualTo(TOKEN_CACHE);
      assertThat(cacheSize(validator, "online")).isLessThanOrEqualTo(ONLINE_CACHE);
      if (baseline > 0) {
        // roughly flat: the caches are bounded, so growth past warm-up means a leak
        assertThat(finalHeap).as("heap after GC vs. first sample " + baseline / (1024 * 1024) + " MiB")
            .isLessThan(Math.max(2 * baseline, baseline + 64L * 1024 * 1024));
      }
    }
  }

  private static void work(AccessTokenValidator validator, java.util.concurrent.atomic.AtomicReference<Phase> phases,
      AtomicInteger generation, AtomicBoolean running, Map<String, LongAdder> outcomes, List<String> wrong) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (running.get()) {
      int before = generation.get();
      Phase p = phases.get();
      int kind = random.nextInt(100);
      String label;
      List<String> pool;
      if (kind < 50) {
        label = "valid";
        pool = p.valid();
      } else if (kind < 60) {
        label = "expired";
        pool = p.expired();
      } else if (kind < 75) {
        label = "forged";
        pool = p.forged();
      } else if (kind < 85) {
        label = "retired";
        pool = p.retiredTokens();
      } else if (kind < 95) {
        label = "opaque";
        pool = p.opaque();
      } else {
        label = "unknown-opaque";
        pool = List.of("unknown-" + random.nextInt(1_000_000));
      }
      String token = pool.get(random.nextInt(pool.size()));
      String outcome;
      try {
        VerifiedToken v = validator.validate(token);
        outcome = v.kind() == TokenKind.OPAQUE ? "accepted-opaque" : "accepted";
      } catch (TokenValidationException e) {
        outcome = e.reason().name();
      } catch (RuntimeException | Error e) {
        outcome = "THROWN " + e;
      }
      boolean straddled = before != generation.get() || p.generation() != before || phases.get() != p;
      outcomes.computeIfAbsent(label + " " + outcome, k -> new LongAdder()).increment();
      String expected = switch (label) {
        case "valid" -> "accepted";
        case "expired" -> "EXPIRED";
        case "forged" -> "BAD_SIGNATURE";
        case "retired" -> "UNKNOWN_KEY";
        case "opaque" -> "accepted-opaque";
        default -> "INACTIVE";
      };
      boolean ok = outcome.equals(expected)
          || straddled && !outcome.startsWith("THROWN") && !(label.equals("forged") && outcome.startsWith("accepted"));
      if (!ok && wrong.size() < 20) {
        wrong.add("phase " + p.number() + ": " + label + " token -> " + outcome);
      }
    }
  }

  private static Phase mint(SoakIssuer issuer, int number, int generation, RSAKey[] ring, RSAKey attacker,
      AtomicInteger opaqueSerial) {
    RSAKey current = ring[number % 4];
    RSAKey retired = ring[(number + 2) % 4]; // dropped at the start of the previous phase
    long now = Instant.now().getEpochSecond();
    List<String> valid = new ArrayList<>();
    List<String> expired = new ArrayList<>();
    List<String> forged = new ArrayList<>();
    List<String> retiredTokens = new ArrayList<>();
    List<String> opaque = new ArrayList<>();
    for (int i = 0; i < 300; i++) { // more distinct tokens over the run than the token cache holds
      valid.add(issuer.jwt().signWith(current).claim("sub", "user-" + number + "-" + i).claim("exp", now + 3600).sign());
    }
    for (int i = 0; i < 10; i++) {
      expired.add(issuer.jwt().signWith(current).claim("sub", "late-" + i).claim("iat", now - 7200)
          .claim("exp", now - 3600).sign());
      forged.add(issuer.jwt().signWith(attacker).header("kid", current.getKeyID()).claim("sub", "auth0|root-" + i)
          .claim("exp", now + 3600).sign());
      // phases 0 and 1: a key not yet ever published; later: one dropped a whole phase ago
      retiredTokens.add(issuer.jwt().signWith(retired).claim("sub", "old-" + i).claim("exp", now + 3600).sign());
    }
    for (int i = (number - 2) * 100 + 1; number >= 2 && i <= (number - 1) * 100; i++) {
      issuer.forgetOpaque("opaque-" + i); // phase n-2's opaque tokens are never asked again
    }
    for (int i = 0; i < 100; i++) {
      String token = "opaque-" + opaqueSerial.incrementAndGet();
      issuer.opaque(token, Map.of("sub", "auth0|opaque-" + i));
      opaque.add(token);
    }
    return new Phase(number, generation, current, retired, List.copyOf(valid), List.copyOf(expired), List.copyOf(forged),
        List.copyOf(retiredTokens), List.copyOf(opaque));
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  /** The estimated size of the validator's verified-token or online-answer cache (test-only reflection). */
  private static long cacheSize(AccessTokenValidator validator, String which) {
    try {
      if (which.equals("token")) {
        return ((JwtPath) field(validator, "jwtPath")).tokenCache().estimatedSize(); // the JWT path owns the cache
      }
      List<?> issuers = (List<?>) field(validator, "issuers");
      Object online = field(issuers.get(0), "online");
      return ((Cache<?, ?>) field(online, "cache")).estimatedSize();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object field(Object target, String name) throws ReflectiveOperationException {
    Field f = target.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(target);
  }

  /**
   * A lean issuer for long runs: FakeIssuer (and MockWebServer's request log) remember every request,
   * which over minutes would look like a leak in the heap numbers. This one forgets them.
   */
  private static final class SoakIssuer implements AutoCloseable {
    private final okhttp3.mockwebserver.MockWebServer server = new okhttp3.mockwebserver.MockWebServer();
    private final Map<String, Map<String, Object>> opaque = new ConcurrentHashMap<>();
    private final AtomicInteger jwksHits = new AtomicInteger();
    private volatile String jwks = "{\"keys\":[]}";

    SoakIssuer() throws java.io.IOException {
      server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
        @Override
        public okhttp3.mockwebserver.MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest request) {
          String path = request.getRequestUrl().encodedPath();
          switch (path) {
            case "/.well-known/openid-configuration":
              return FakeIssuer.json("{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + server.url("/jwks")
                  + "\",\"userinfo_endpoint\":\"" + server.url("/userinfo") + "\"}");
            case "/jwks":
              jwksHits.incrementAndGet();
              return FakeIssuer.json(jwks);
            case "/userinfo":
              String auth = request.getHeader("Authorization");
              Map<String, Object> claims = auth == null ? null : opaque.get(auth.substring("Bearer ".length()));
              return claims == null ? new okhttp3.mockwebserver.MockResponse().setResponseCode(401)
                  : FakeIssuer.json(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(claims));
            default:
              return new okhttp3.mockwebserver.MockResponse().setResponseCode(404);
          }
        }
      });
      server.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
    }

    String issuer() {
      return server.url("/").toString();
    }

    FakeIssuer.Jwt jwt() {
      return new FakeIssuer.Jwt(issuer());
    }

    void publish(RSAKey... keys) {
      List<com.nimbusds.jose.jwk.JWK> pub = new ArrayList<>();
      for (RSAKey k : keys) {
        pub.add(k.toPublicJWK());
      }
      jwks = new com.nimbusds.jose.jwk.JWKSet(pub).toString(true);
    }

    void opaque(String token, Map<String, Object> claims) {
      opaque.put(token, claims);
    }

    void forgetOpaque(String token) {
      opaque.remove(token);
    }

    /** Forgets the server's request log. */
    void forgetRequests() throws InterruptedException {
      while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
        // drained
      }
    }

    int jwksHits() {
      return jwksHits.get();
    }

    @Override
    public void close() throws java.io.IOException {
      server.shutdown();
    }
  }
}
