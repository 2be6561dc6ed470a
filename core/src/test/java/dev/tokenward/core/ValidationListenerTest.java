package dev.tokenward.core;

import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.ValidatorTestSupport.MutableClock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ValidationListenerTest {
  private final FakeIssuer issuer = new FakeIssuer();
  private final MutableClock clock = new MutableClock();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final ValidationListener recorder = new ValidationListener() {
    @Override
    public void tokenAccepted(String iss, long nanos) {
      events.add("accepted " + iss + (nanos >= 0 ? "" : " negative"));
    }

    @Override
    public void tokenRefused(Reason reason, String iss, long nanos) {
      events.add("refused " + reason + " " + iss + (nanos >= 0 ? "" : " negative"));
    }

    @Override
    public void tokenCacheHit() {
      events.add("hit");
    }

    @Override
    public void tokenCacheMiss() {
      events.add("miss");
    }

    @Override
    public void keyFetchSucceeded(String iss, int keys) {
      events.add("fetched " + iss + " " + keys);
    }

    @Override
    public void keyFetchFailed(String iss, Exception cause) {
      events.add("fetch failed " + iss);
    }

    @Override
    public void onlineCall(String iss, OpaqueTokenPolicy policy) {
      events.add("online " + iss + " " + policy);
    }

    @Override
    public void keyFetchRateLimited(String iss) {
      events.add("rate-limited " + iss);
    }

    @Override
    public void unknownKey(String iss) {
      events.add("unknown kid " + iss);
    }

    @Override
    public void dpopReplayDetected(String iss) {
      events.add("replay " + iss);
    }

    @Override
    public void onlineCacheHit(String iss) {
      events.add("online hit " + iss);
    }

    @Override
    public void onlineCacheMiss(String iss) {
      events.add("online miss " + iss);
    }

    @Override
    public void sharedOnlineCacheHit(String iss) {
      events.add("shared hit " + iss);
    }

    @Override
    public void sharedOnlineCacheMiss(String iss) {
      events.add("shared miss " + iss);
    }

    @Override
    public void sharedOnlineCacheFailed(String iss, Exception cause) {
      events.add("shared failed " + iss + " " + cause.getMessage());
    }

    @Override
    public void dpopReplayStoreFailed(String iss, Exception cause) {
      events.add("replay store failed " + iss + " " + cause.getMessage());
    }

    @Override
    public void validatorBuilt(AccessTokenValidator v) {
      events.add("built " + v.issuers().size());
    }
  };

  @AfterEach
  void stop() throws Exception {
    issuer.close();
  }

  private AccessTokenValidator.Builder builder() {
    return AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE).clock(clock)
        .listener(recorder);
  }

  /** Builds, checks the build was announced, and forgets that event so each test lists only its own. */
  private AccessTokenValidator built(AccessTokenValidator.Builder b) {
    AccessTokenValidator validator = b.build();
    assertThat(events).containsExactly("built 1");
    events.clear();
    return validator;
  }

  @Test
  void validateWhenAcceptedThenFetchMissAcceptedAndThenHit() throws Exception {
    AccessTokenValidator validator = built(builder());
    String token = issuer.jwt().sign();

    validator.validate(token);
    validator.validate(token);

    assertThat(events).containsExactly("miss", "fetched " + issuer.issuer() + " 2", "accepted " + issuer.issuer(),
        "hit", "accepted " + issuer.issuer());
    validator.close();
  }

  @Test
  void validateWhenRefusedThenReasonAndNoTokenValue() throws Exception {
    AccessTokenValidator validator = built(builder());

    assertRefused(() -> validator.validate(issuer.jwt().claim("aud", "https://other.api").claim("sub", "secret-sub")
        .sign()), Reason.WRONG_AUDIENCE);
    assertRefused(() -> validator.validate(""), Reason.MALFORMED);

    assertThat(events).containsExactly("miss", "fetched " + issuer.issuer() + " 2", "refused WRONG_AUDIENCE " + issuer.issuer(), "refused MALFORMED null");
    validator.close();
  }

  @Test
  void validateWhenJwksFailsThenFetchFailedAndUnavailable() throws Exception {
    issuer.answer("/.well-known/jwks.json", new MockResponse().setResponseCode(500));
    AccessTokenValidator validator = built(builder());

    assertRefused(() -> validator.validate(issuer.jwt().sign()), Reason.ISSUER_UNAVAILABLE);

    assertThat(events).containsExactly("miss", "fetch failed " + issuer.issuer(),
        "refused ISSUER_UNAVAILABLE " + issuer.issuer());
    validator.close();
  }

  @Test
  void validateWhenOpaqueThenOneOnlineCallThenServedFromOnlineCache() throws Exception {
    issuer.opaque("opaque-token-1", Map.of("sub", "u"));
    AccessTokenValidator validator = built(builder().opaqueTokens(OpaqueTokenPolicy.USERINFO));

    validator.validate("opaque-token-1");
    validator.validate("opaque-token-1");

    assertThat(events).containsExactly("online miss " + issuer.issuer(), "online " + issuer.issuer() + " USERINFO",
        "accepted " + issuer.issuer(), "online hit " + issuer.issuer(), "accepted " + issuer.issuer());
    validator.close();
  }

  @Test
  void validateWhenAnswersAreSharedThenSharedMissThenAnotherReplicasSharedHit() throws Exception {
    issuer.opaque("opaque-token-1", Map.of("sub", "u"));
    SharedStateTest.MapCache shared = new SharedStateTest.MapCache(clock);
    AccessTokenValidator a = built(builder().opaqueTokens(OpaqueTokenPolicy.USERINFO).sharedOnlineCache(shared));
    AccessTokenValidator b = built(builder().opaqueTokens(OpaqueTokenPolicy.USERINFO).sharedOnlineCache(shared));
    String iss = issuer.issuer();

    a.validate("opaque-token-1");
    b.validate("opaque-token-1");
    b.validate("opaque-token-1");

    assertThat(events).containsExactly("online miss " + iss, "shared miss " + iss, "online " + iss + " USERINFO",
        "accepted " + iss, "online miss " + iss, "shared hit " + iss, "accepted " + iss, "online hit " + iss,
        "accepted " + iss);
    a.close();
    b.close();
  }

  @Test
  void validateWhenTheSharedCacheIsDownThenOneSharedFailureAndTheIssuerAsked() throws Exception {
    issuer.opaque("opaque-token-1", Map.of("sub", "u"));
    SharedStateTest.MapCache shared = new SharedStateTest.MapCache(clock);
    shared.down = true;
    AccessTokenValidator validator = built(builder().opaqueTokens(OpaqueTokenPolicy.USERINFO).sharedOnlineCache(shared));
    String iss = issuer.issuer();

    validator.validate("opaque-token-1");

    assertThat(events).containsExactly("online miss " + iss, "shared failed " + iss + " connection refused",
        "online " + iss + " USERINFO", "accepted " + iss);
    validator.close();
  }

  @Test
  void validateRequestWhenTheReplayStoreFailsThenReplayStoreFailedAndAttributedUnavailable() throws Exception {
    AccessTokenValidator validator = built(DpopTestSupport.validator(issuer, clock).listener(recorder)
        .dpopReplayStore((key, until) -> {
          throw new java.io.IOException("Redis at redis://127.0.0.1:6379/0 did not answer SET NX within 500 ms");
        }));
    String token = DpopTestSupport.boundTo(issuer, DpopProofs.CLIENT_EC);

    assertRefused(() -> validator.validate(DpopTestSupport.dpop(token, DpopProofs.proof("GET", DpopTestSupport.URI, token)
        .sign())), Reason.REPLAY_STORE_UNAVAILABLE);

    assertThat(events).containsExactly("miss", "replay store failed "
        + issuer.issuer() + " Redis at redis://127.0.0.1:6379/0 did not answer SET NX within 500 ms",
        "refused REPLAY_STORE_UNAVAILABLE " + issuer.issuer());
    validator.close();
  }

  @Test
  void validateWhenTokenNamesNoConfiguredIssuerThenRefusalIsNotAttributed() throws Exception {
    AccessTokenValidator validator = built(builder());

    assertRefused(() -> validator.validate(issuer.jwt().claim("iss", "https://attacker.example/").sign()),
        Reason.WRONG_ISSUER);
    assertRefused(() -> validator.validate(issuer.jwt().claim("iss", issuer.issuer().replaceAll("/$", "")).sign()),
        Reason.WRONG_ISSUER); // the trailing-slash trap of a configured issuer: attributed to it

    assertThat(events).containsExactly("miss", "refused WRONG_ISSUER null", "miss",
        "refused WRONG_ISSUER " + issuer.issuer());
    validator.close();
  }

  @Test
  void validateWhenSignatureFailsOrExpiredThenAttributedToTheConfiguredIssuer() throws Exception {
    AccessTokenValidator validator = built(builder());
    validator.validate(issuer.jwt().sign());
    events.clear();

    assertRefused(() -> validator.validate(issuer.jwt().claim("exp", clock.millis() / 1000 - 3600).sign()),
        Reason.EXPIRED);
    assertRefused(() -> validator.validate(issuer.jwt().header("alg", "none").unsigned("c2ln")), Reason.DISALLOWED_ALGORITHM);
    String forged = issuer.jwt().sign();
    assertRefused(() -> validator.validate(forged.substring(0, forged.length() - 8) + "AAAAAAAA"), Reason.BAD_SIGNATURE);

    assertThat(events).containsExactly("miss", "refused EXPIRED " + issuer.issuer(), "miss",
        "refused DISALLOWED_ALGORITHM " + issuer.issuer(), "miss", "refused BAD_SIGNATURE " + issuer.issuer());
    validator.close();
  }

  @Test
  void validateWhenKidUnknownThenUnknownKeyAndRefetchOnceThenRateLimited() throws Exception {
    AccessTokenValidator validator = built(builder());
    validator.validate(issuer.jwt().sign());
    events.clear();

    assertRefused(() -> validator.validate(issuer.jwt().header("kid", "rotated-1").sign()), Reason.UNKNOWN_KEY);
    assertRefused(() -> validator.validate(issuer.jwt().header("kid", "rotated-2").sign()), Reason.UNKNOWN_KEY);

    assertThat(events).containsExactly(
        "miss", "unknown kid " + issuer.issuer(), "fetched " + issuer.issuer() + " 2",
        "refused UNKNOWN_KEY " + issuer.issuer(),
        "miss", "unknown kid " + issuer.issuer(), "rate-limited " + issuer.issuer(),
        "refused UNKNOWN_KEY " + issuer.issuer());
    assertThat(issuer.jwksHits()).isEqualTo(2);
    validator.close();
  }

  @Test
  void validateWhenFirstTokenWaitsForTheFirstKeysThenNoUnknownKeyEvent() throws Exception {
    AccessTokenValidator validator = built(builder());

    validator.validate(issuer.jwt().sign());

    assertThat(events).noneMatch(e -> e.startsWith("unknown kid"));
    validator.close();
  }

  @Test
  void validateOnlineWhenTheIssuerSaysInactiveThenOneRefusalAttributedAndNoAcceptance() throws Exception {
    AccessTokenValidator validator = built(builder());

    assertRefused(() -> validator.validateOnline(issuer.jwt().sign()), Reason.INACTIVE);

    assertThat(events).containsExactly("miss", "fetched " + issuer.issuer() + " 2", "online miss " + issuer.issuer(),
        "online " + issuer.issuer() + " USERINFO", "refused INACTIVE " + issuer.issuer());
    validator.close();
  }

  @Test
  void validateRequestWhenNoCredentialsOrMalformedHeaderThenRefusalsCountedOnceUnattributed() throws Exception {
    AccessTokenValidator validator = built(builder());

    assertRefused(() -> validator.validate(DpopTestSupport.request().build()), Reason.MISSING_TOKEN);
    assertRefused(() -> validator.validate(DpopTestSupport.request().authorization("Bearer a b").build()),
        Reason.INVALID_REQUEST);
    assertRefused(() -> validator.validate(DpopTestSupport.request().authorization("Basic dXNlcjpwdw==").build()),
        Reason.MISSING_TOKEN);

    assertThat(events).containsExactly("refused MISSING_TOKEN null", "refused INVALID_REQUEST null",
        "refused MISSING_TOKEN null");
    validator.close();
  }

  @Test
  void validateRequestWhenAcceptedOrWrongAudienceThenReportedOnceWithTheIssuer() throws Exception {
    AccessTokenValidator validator = built(builder());

    validator.validate(DpopTestSupport.bearer(issuer.jwt().sign()));
    assertRefused(() -> validator.validate(DpopTestSupport.bearer(issuer.jwt().claim("aud", "https://other.api").sign())),
        Reason.WRONG_AUDIENCE);

    assertThat(events).containsExactly("miss", "fetched " + issuer.issuer() + " 2", "accepted " + issuer.issuer(),
        "miss", "refused WRONG_AUDIENCE " + issuer.issuer());
    validator.close();
  }

  @Test
  void validateRequestWhenDpopProofReplayedThenReplayEventAndAttributedRefusal() throws Exception {
    AccessTokenValidator validator = built(DpopTestSupport.validator(issuer, clock).listener(recorder));
    String token = DpopTestSupport.boundTo(issuer, DpopProofs.CLIENT_EC);
    String proof = DpopProofs.proof("GET", DpopTestSupport.URI, token).sign();
    validator.validate(DpopTestSupport.dpop(token, proof));
    events.clear();

    assertRefused(() -> validator.validate(DpopTestSupport.dpop(token, proof)), Reason.DPOP_PROOF_REPLAY);
    assertRefused(() -> validator.validate(DpopTestSupport.dpop(token)), Reason.DPOP_PROOF_MISSING);
    assertRefused(() -> validator.validate(DpopTestSupport.bearer(token)), Reason.DPOP_TOKEN_AS_BEARER);

    assertThat(events).containsExactly("hit", "replay " + issuer.issuer(), "refused DPOP_PROOF_REPLAY " + issuer.issuer(),
        "refused DPOP_PROOF_MISSING null", "hit", "refused DPOP_TOKEN_AS_BEARER " + issuer.issuer());
    validator.close();
  }

  @Test
  void validateWhenAnOpaqueTokenOfTheSecondIssuerIsAcceptedThenThatIssuerAsConfiguredIsNamed() throws Exception {
    try (FakeIssuer second = new FakeIssuer()) {
      String configured = second.issuer().replaceAll("/$", ""); // discovery answers with the slash: it is adopted
      second.discoveredIssuer(second.issuer()).opaque("opaque-token-2", Map.of("sub", "u"));
      AccessTokenValidator validator = AccessTokenValidator.builder().clock(clock).listener(recorder)
          .issuer(TrustedIssuer.builder(issuer.issuer()).audience(FakeIssuer.AUDIENCE).build())
          .issuer(TrustedIssuer.builder(configured).audience(FakeIssuer.AUDIENCE)
              .opaqueTokens(OpaqueTokenPolicy.USERINFO).build())
          .build();
      events.clear();

      validator.validate("opaque-token-2");

      assertThat(events).containsExactly("online miss " + configured, "online " + configured + " USERINFO",
          "accepted " + configured);
      validator.close();
    }
  }

  @Test
  void validateWhenNoListenerThenValidatesAsBefore() throws Exception {
    AccessTokenValidator validator = AccessTokenValidator.builder().issuer(issuer.issuer())
        .audience(FakeIssuer.AUDIENCE).clock(clock).build();

    assertThat(validator.validate(issuer.jwt().sign()).issuer()).isEqualTo(issuer.issuer());
    assertThat(events).isEmpty();
    validator.close();
  }
}
