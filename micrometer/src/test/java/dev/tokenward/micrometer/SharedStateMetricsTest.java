package dev.tokenward.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.OpaqueTokenPolicy;
import dev.tokenward.core.Reason;
import dev.tokenward.core.SharedOnlineCache;
import dev.tokenward.core.TokenRequest;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.test.DpopKey;
import dev.tokenward.test.TestIssuer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The meters of state shared across replicas: lookups in the shared answers by result, and DPoP proofs
 * the replay store could not record. The shared cache here is a map (tokenward-redis runs the real one).
 */
class SharedStateMetricsTest {
  private static final String URL = "https://api.example.test/api/private";
  private final TestIssuer issuer = TestIssuer.defaults().start();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void stop() {
    issuer.close();
  }

  /** A shared cache in a map that can be taken down; no locking (the SPI's default). */
  static final class MapCache implements SharedOnlineCache {
    final Map<String, String> values = new ConcurrentHashMap<>();
    volatile boolean down;

    @Override
    public Optional<String> get(String key) throws IOException {
      if (down) {
        throw new IOException("Redis at redis://127.0.0.1:6379/0: connection refused");
      }
      return Optional.ofNullable(values.get(key));
    }

    @Override
    public void put(String key, String answer, Duration ttl) throws IOException {
      if (down) {
        throw new IOException("Redis at redis://127.0.0.1:6379/0: connection refused");
      }
      values.put(key, answer);
    }
  }

  private AccessTokenValidator replica(SharedOnlineCache shared) {
    return issuer.validatorBuilder().opaqueTokens(OpaqueTokenPolicy.USERINFO).sharedOnlineCache(shared)
        .listener(TokenwardMetrics.of(registry)).build();
  }

  private double shared(String result) {
    return registry.get(TokenwardMetrics.SHARED_ONLINE_CACHE).tag("result", result).counter().count();
  }

  private double replayStoreErrors() {
    return registry.get(TokenwardMetrics.DPOP_REPLAY_STORE_ERRORS).tag("issuer", issuer.issuer()).counter().count();
  }

  @Test
  void bindWhenBuiltThenSharedLookupsAndReplayStoreErrorsExistAtZero() {
    try (AccessTokenValidator v = replica(new MapCache())) {
      assertThat(shared("hit")).isZero();
      assertThat(shared("miss")).isZero();
      assertThat(shared("error")).isZero();
      assertThat(replayStoreErrors()).isZero();
    }
  }

  @Test
  void validateWhenThreeReplicasShareAnswersThenOneMissTwoHitsAndLocalHitsNotCountedAgain() throws Exception {
    MapCache cache = new MapCache();
    String opaque = issuer.opaqueToken(TestIssuer.DEMO_CLIENT, "read:messages");
    try (AccessTokenValidator a = replica(cache); AccessTokenValidator b = replica(cache);
        AccessTokenValidator c = replica(cache)) {
      for (AccessTokenValidator r : new AccessTokenValidator[] {a, b, c, a, b, c}) {
        r.validate(opaque);
      }
    }
    assertThat(shared("miss")).isEqualTo(1.0);
    assertThat(shared("hit")).isEqualTo(2.0);
    assertThat(shared("error")).isZero();
    assertThat(registry.get(TokenwardMetrics.ONLINE_CACHE).tag("result", "hit").counter().count()).isEqualTo(3.0);
    assertThat(registry.get(TokenwardMetrics.ONLINE_CALLS).tag("endpoint", "userinfo").tag("issuer", issuer.issuer())
        .counter().count()).isEqualTo(1.0);
  }

  @Test
  void validateWhenTheSharedCacheIsDownThenOneErrorPerLookupAndTheTokenAccepted() throws Exception {
    MapCache cache = new MapCache();
    cache.down = true;
    try (AccessTokenValidator a = replica(cache); AccessTokenValidator b = replica(cache)) {
      a.validate(issuer.opaqueToken(TestIssuer.DEMO_CLIENT, "read:messages"));
      b.validate(issuer.opaqueToken(TestIssuer.DEMO_CLIENT, "read:messages"));
      b.validate(issuer.opaqueToken(TestIssuer.DEMO_CLIENT, "read:messages"));
    }
    assertThat(shared("error")).isEqualTo(3.0);
    assertThat(shared("miss")).isZero();
    assertThat(shared("hit")).isZero();
  }

  @Test
  void validateRequestWhenTheReplayStoreIsDownThenOneErrorPerProofAndA503Refusal() throws Exception {
    DpopKey client = DpopKey.es256();
    String token = issuer.jwt().boundTo(client).sign();
    try (AccessTokenValidator v = issuer.validatorBuilder().listener(TokenwardMetrics.of(registry))
        .dpopReplayStore((key, until) -> {
          throw new IOException("Redis at redis://127.0.0.1:6379/0 did not answer SET NX within 500 ms");
        }).build()) {
      for (int i = 0; i < 2; i++) {
        TokenRequest request = TokenRequest.builder("GET", URL).authorization("DPoP " + token)
            .dpopProof(client.proof().method("GET").url(URL).accessToken(token).sign()).build();
        assertThatThrownBy(() -> v.validate(request)).isInstanceOfSatisfying(TokenValidationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.REPLAY_STORE_UNAVAILABLE));
      }
      String bearer = issuer.accessToken(TestIssuer.DEMO_CLIENT, issuer.audience(), "read:messages");
      v.validate(TokenRequest.builder("GET", URL).authorization("Bearer " + bearer).build());
    }
    assertThat(replayStoreErrors()).isEqualTo(2.0);
    assertThat(registry.get(TokenwardMetrics.VALIDATIONS).tag("outcome", "refused")
        .tag("reason", "REPLAY_STORE_UNAVAILABLE").tag("issuer", issuer.issuer()).counter().count()).isEqualTo(2.0);
  }
}
