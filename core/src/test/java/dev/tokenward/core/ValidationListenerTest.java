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
  };

  @AfterEach
  void stop() throws Exception {
    issuer.close();
  }

  private AccessTokenValidator.Builder builder() {
    return AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE).clock(clock)
        .listener(recorder);
  }

  @Test
  void validateWhenAcceptedThenFetchMissAcceptedAndThenHit() throws Exception {
    AccessTokenValidator validator = builder().build();
    String token = issuer.jwt().sign();

    validator.validate(token);
    validator.validate(token);

    assertThat(events).containsExactly("miss", "fetched " + issuer.issuer() + " 2", "accepted " + issuer.issuer(),
        "hit", "accepted " + issuer.issuer());
    validator.close();
  }

  @Test
  void validateWhenRefusedThenReasonAndNoTokenValue() throws Exception {
    AccessTokenValidator validator = builder().build();

    assertRefused(() -> validator.validate(issuer.jwt().claim("aud", "https://other.api").claim("sub", "secret-sub")
        .sign()), Reason.WRONG_AUDIENCE);
    assertRefused(() -> validator.validate(""), Reason.MALFORMED);

    assertThat(events).containsExactly("miss", "fetched " + issuer.issuer() + " 2", "refused WRONG_AUDIENCE null",
        "refused MALFORMED null");
    validator.close();
  }

  @Test
  void validateWhenJwksFailsThenFetchFailedAndUnavailable() throws Exception {
    issuer.answer("/.well-known/jwks.json", new MockResponse().setResponseCode(500));
    AccessTokenValidator validator = builder().build();

    assertRefused(() -> validator.validate(issuer.jwt().sign()), Reason.ISSUER_UNAVAILABLE);

    assertThat(events).containsExactly("miss", "fetch failed " + issuer.issuer(), "refused ISSUER_UNAVAILABLE null");
    validator.close();
  }

  @Test
  void validateWhenOpaqueThenOneOnlineCallThenServedFromOnlineCache() throws Exception {
    issuer.opaque("opaque-token-1", Map.of("sub", "u"));
    AccessTokenValidator validator = builder().opaqueTokens(OpaqueTokenPolicy.USERINFO).build();

    validator.validate("opaque-token-1");
    validator.validate("opaque-token-1");

    assertThat(events).containsExactly("online " + issuer.issuer() + " USERINFO", "accepted " + issuer.issuer(),
        "accepted " + issuer.issuer());
    validator.close();
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
