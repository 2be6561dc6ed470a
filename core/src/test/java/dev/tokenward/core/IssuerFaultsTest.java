package dev.tokenward.core;

import static dev.tokenward.core.Forge.refusal;
import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault injection (issue 7): the issuer misbehaves and tokenward must answer ISSUER_UNAVAILABLE
 * (503) where the issuer is at fault, the token's own reason where the token is, and never hang
 * past its timeouts. The timeouts below are generous bounds against hangs, not performance claims.
 */
class IssuerFaultsTest {
  private static final String JWKS = "/.well-known/jwks.json";
  private static final String DISCOVERY = "/.well-known/openid-configuration";
  /** Bound on any single refused call: a 5 s call timeout, waited twice, plus slack for a busy CI. */
  private static final Duration NO_HANG = Duration.ofSeconds(20);

  private final FakeIssuer issuer = new FakeIssuer();

  @AfterEach
  void stop() throws Exception {
    issuer.close();
  }

  /** A client with short timeouts, as an application would pass through {@code httpClient(...)}. */
  private static OkHttpClient shortTimeouts() {
    return new OkHttpClient.Builder()
        .connectTimeout(500, TimeUnit.MILLISECONDS)
        .readTimeout(500, TimeUnit.MILLISECONDS)
        .callTimeout(1, TimeUnit.SECONDS)
        .followSslRedirects(false)
        .build();
  }

  /** The default client (2 s connect, 5 s per call): a loaded CI machine must not turn into a fault. */
  private AccessTokenValidator.Builder base() {
    return AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE);
  }

  /** For the faults that are timeouts: a 1 s call timeout keeps those tests short. */
  private AccessTokenValidator.Builder impatient() {
    return base().httpClient(shortTimeouts());
  }

  private static MockResponse silent() {
    // accepts the request and never answers; closed when the server shuts down
    return new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
  }

  private static TokenValidationException refusedWithin(ValidatorTestSupport.Call call) {
    return assertTimeoutPreemptively(NO_HANG, () -> refusal(call));
  }

  private static void assertUnavailable(TokenValidationException e) {
    assertThat(e.reason()).as("reason of: " + e.getMessage()).isEqualTo(Reason.ISSUER_UNAVAILABLE);
    assertThat(e.httpStatus()).isEqualTo(503);
    assertThat(e.retryAfter()).isPresent();
    assertThat(e.retryAfter().get()).isBetween(Duration.ofSeconds(1), Duration.ofHours(1));
  }

  // ---------------------------------------------------------------- JWKS

  static Stream<Arguments> brokenJwks() throws Exception {
    RSAKey small = new RSAKeyGenerator(1024, true).keyID("rsa-1").generate();
    List<JWK> many = new ArrayList<>();
    for (int i = 0; i < KeySet.MAX_KEYS + 1; i++) {
      many.add(new RSAKey.Builder(FakeIssuer.rsaKey(0).toRSAPublicKey()).keyID("k" + i).build());
    }
    return Stream.of(
        Arguments.of("HTTP 500", new MockResponse().setResponseCode(500)),
        Arguments.of("HTTP 404", new MockResponse().setResponseCode(404)),
        Arguments.of("garbage", FakeIssuer.json("\u0000\u00ff garbage {{{")),
        Arguments.of("an HTML error page", new MockResponse().setHeader("Content-Type", "text/html")
            .setBody("<html><body><h1>502 Bad Gateway</h1></body></html>")),
        Arguments.of("JSON null", FakeIssuer.json("null")),
        Arguments.of("an empty key set", FakeIssuer.json("{\"keys\":[]}")),
        Arguments.of("keys that is not an array", FakeIssuer.json("{\"keys\":{\"kty\":\"RSA\"}}")),
        Arguments.of("only a 1024-bit RSA key", FakeIssuer.json(new JWKSet(small.toPublicJWK()).toString(true))),
        Arguments.of("only encryption keys", FakeIssuer.json(new JWKSet(new RSAKey.Builder(FakeIssuer.rsaKey(0).toRSAPublicKey())
            .keyID("rsa-1").keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION).build()).toString(true))),
        Arguments.of("an EC key off its curve (invalid-curve attack)", FakeIssuer.json("{\"keys\":[{\"kty\":\"EC\","
            + "\"crv\":\"P-256\",\"kid\":\"ec-1\",\"x\":\"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE\","
            + "\"y\":\"AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI\"}]}")),
        Arguments.of("101 keys (over the key cap)", FakeIssuer.json(new JWKSet(many).toString(true))),
        Arguments.of("5 MB with a Content-Length (over the size cap)", FakeIssuer.json(
            "{\"keys\":[],\"pad\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}")),
        Arguments.of("5 MB chunked (over the size cap)", new MockResponse().setHeader("Content-Type", "application/json")
            .setChunkedBody("{\"keys\":[],\"pad\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}", 64 * 1024)),
        Arguments.of("a redirect loop", new MockResponse().setResponseCode(302).setHeader("Location", JWKS)),
        Arguments.of("a dropped connection", new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST)),
        Arguments.of("a timeout", silent()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenJwks")
  void brokenJwksIsIssuerUnavailableAndTokenFaultsStillWin(String what, MockResponse fault) {
    issuer.answer(JWKS, fault);
    AccessTokenValidator validator = (fault.getSocketPolicy() == SocketPolicy.NO_RESPONSE ? impatient() : base()).build();

    assertUnavailable(refusedWithin(() -> validator.validate(issuer.jwt().sign())));
    assertThat(issuer.jwksHits()).as("bounded: one fetch, or the redirects OkHttp follows").isBetween(1, 21);

    // while the keys are unavailable, a token that is wrong on its face is still refused for itself
    assertThat(refusedWithin(() -> validator.validate(issuer.jwt().header("alg", "none").unsigned("AA"))).reason())
        .isEqualTo(Reason.DISALLOWED_ALGORITHM);
    assertThat(refusedWithin(() -> validator.validate(issuer.jwt().claim("iss", "https://evil.example/").sign())).reason())
        .isEqualTo(Reason.WRONG_ISSUER);
    assertThat(refusedWithin(() -> validator.validate("e30.e30.not-base64url!")).reason()).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void jwksRetryAfterCountsDownTheBackoff() {
    ValidatorTestSupport.MutableClock clock = new ValidatorTestSupport.MutableClock();
    issuer.answer(JWKS, new MockResponse().setResponseCode(503));
    AccessTokenValidator validator = base().clock(clock).issuerRetryBackoff(Duration.ofSeconds(10)).build();
    assertThat(refusedWithin(() -> validator.validate(issuer.jwt().sign())).retryAfter()).contains(Duration.ofSeconds(10));
    clock.advanceSeconds(4);
    assertThat(refusedWithin(() -> validator.validate(issuer.jwt().sign())).retryAfter()).contains(Duration.ofSeconds(6));
    assertThat(issuer.jwksHits()).as("no refetch inside the backoff").isEqualTo(1);
  }

  @Test
  void cachedKeysKeepWorkingWhileTheJwksIsDown() throws Exception {
    ValidatorTestSupport.MutableClock clock = new ValidatorTestSupport.MutableClock();
    AccessTokenValidator validator = base().clock(clock).disableTokenCache().build();
    validator.validate(issuer.jwt().sign());
    issuer.answer(JWKS, new MockResponse().setResponseCode(500));
    clock.advanceSeconds(31);
    assertThat(validator.validate(issuer.jwt().claim("sub", "again").sign()).subject()).isEqualTo("again");
    // an unknown kid cannot be ruled out while the JWKS is down: unavailable, not "unknown key"
    String rotated = issuer.jwt().signWith(FakeIssuer.rsaKey(1)).sign();
    assertUnavailable(refusedWithin(() -> validator.validate(rotated)));
    assertThat(validator.validate(issuer.jwt().claim("sub", "still").sign()).subject()).isEqualTo("still");
  }

  // Within the cooldown of the last refetch for an unknown kid, another unknown kid is decided with
  // the keys at hand (an attacker's random kids must not turn into JWKS traffic): UNKNOWN_KEY, even
  // though the JWKS went down meanwhile and so could not have been asked anyway.
  @Test
  void unknownKidWithinTheCooldownIsUnknownKeyEvenIfTheJwksWentDown() throws Exception {
    AccessTokenValidator validator = base().build();
    validator.validate(issuer.jwt().sign());
    String unknown = issuer.jwt().header("kid", "no-such-key").unsigned("c2ln");
    assertThat(refusedWithin(() -> validator.validate(unknown)).reason()).isEqualTo(Reason.UNKNOWN_KEY);
    assertThat(issuer.jwksHits()).as("the initial load and one refetch").isEqualTo(2);
    issuer.answer(JWKS, new MockResponse().setResponseCode(500));
    String rotated = issuer.jwt().signWith(FakeIssuer.rsaKey(1)).sign();
    assertThat(refusedWithin(() -> validator.validate(rotated)).reason()).isEqualTo(Reason.UNKNOWN_KEY);
    assertThat(issuer.jwksHits()).isEqualTo(2);
  }

  @Test
  void discoveryNamingAnotherIssuerIsRefusedAndItsEndpointsNeverUsed() throws Exception {
    try (MockWebServer evil = new MockWebServer()) {
      evil.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("issuer", evil.url("/").toString());
      doc.put("jwks_uri", evil.url("/jwks.json").toString());
      issuer.answer(DISCOVERY, FakeIssuer.json(JSONObjectUtils.toJSONString(doc)));
      AccessTokenValidator validator = base().build();
      assertUnavailable(refusedWithin(() -> validator.validate(issuer.jwt().sign())));
      assertThat(evil.getRequestCount()).isZero();
    }
  }

  // The default client has no per-read timeout: the 5 s call timeout must end a JWKS that answers its
  // headers and then drips its body (here a byte every 100 ms: the whole document would take minutes)
  // and one that never answers, each as issuer-unavailable within NO_HANG.
  @Test
  void jwksDrippingItsBodyWithTheDefaultClientIsCutOffByTheCallTimeout() {
    issuer.answer(JWKS, FakeIssuer.json("{\"keys\":[],\"pad\":\"" + "x".repeat(4096) + "\"}")
        .throttleBody(1, 100, TimeUnit.MILLISECONDS));
    assertUnavailable(refusedWithin(() -> base().build().validate(issuer.jwt().sign())));
  }

  @Test
  void jwksNeverAnsweringWithTheDefaultClientIsCutOffByTheCallTimeout() {
    issuer.answer(JWKS, silent());
    assertUnavailable(refusedWithin(() -> base().build().validate(issuer.jwt().sign())));
  }

  @Test
  void discoveryPointingAtPlainHttpElsewhereIsRefused() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", issuer.issuer());
    doc.put("jwks_uri", "http://jwks.example.invalid/keys");
    issuer.answer(DISCOVERY, FakeIssuer.json(JSONObjectUtils.toJSONString(doc)));
    assertUnavailable(refusedWithin(() -> base().build().validate(issuer.jwt().sign())));
  }

  @Test
  void issuerDownAtStartThenUpRecoversAfterTheBackoff() throws Exception {
    ValidatorTestSupport.MutableClock clock = new ValidatorTestSupport.MutableClock();
    issuer.answer(DISCOVERY, new MockResponse().setResponseCode(503));
    issuer.answer(JWKS, new MockResponse().setResponseCode(503));
    AccessTokenValidator validator = base().clock(clock).build(); // an issuer down at start-up is not a build error
    String token = issuer.jwt().claim("exp", clock.millis() / 1000 + 3600).sign();

    TokenValidationException first = refusedWithin(() -> validator.validate(token));
    assertUnavailable(first);
    assertThat(first.retryAfter()).contains(Duration.ofSeconds(5));
    assertThat(BearerErrorResponse.of(first, "api").headers()).containsEntry("Retry-After", "5");

    issuer.clearAnswer(DISCOVERY).clearAnswer(JWKS);
    int requests = issuer.requests().size();
    assertUnavailable(refusedWithin(() -> validator.validate(token)));
    assertThat(issuer.requests()).as("nothing is fetched again inside the backoff").hasSize(requests);

    clock.advanceSeconds(5);
    assertThat(assertTimeoutPreemptively(NO_HANG, () -> validator.validate(token)).subject()).isEqualTo("auth0|user-1");
  }

  // ------------------------------------------------- userinfo and introspection

  private AccessTokenValidator userinfoValidator(String userinfoUri) {
    AccessTokenValidator.Builder b = base().opaqueTokens(OpaqueTokenPolicy.USERINFO);
    return userinfoUri == null ? b.build() : b.userinfoUri(userinfoUri).build();
  }

  private AccessTokenValidator introspectionValidator(String uri) {
    return base().opaqueTokens(OpaqueTokenPolicy.INTROSPECT).introspection(uri, "api-client", "api-secret").build();
  }

  private static String closedPortUrl(String path) throws Exception {
    MockWebServer gone = new MockWebServer();
    gone.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
    String url = gone.url(path).toString();
    gone.shutdown();
    return url;
  }

  @Test
  void userinfoDownIsIssuerUnavailable() throws Exception {
    AccessTokenValidator validator = userinfoValidator(closedPortUrl("/userinfo"));
    assertUnavailable(refusedWithin(() -> validator.validate("opaque-token-1")));
  }

  @Test
  void userinfoSlowIsIssuerUnavailableWithinTheTimeout() {
    issuer.answer("/userinfo", silent());
    AccessTokenValidator validator = impatient().opaqueTokens(OpaqueTokenPolicy.USERINFO).build();
    assertUnavailable(refusedWithin(() -> validator.validate("opaque-token-1")));
  }

  @Test
  void userinfo429CarriesTheIssuersRetryAfter() {
    issuer.answer("/userinfo", new MockResponse().setResponseCode(429).setHeader("Retry-After", "7"));
    TokenValidationException e = refusedWithin(() -> userinfoValidator(null).validate("opaque-token-1"));
    assertUnavailable(e);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(BearerErrorResponse.of(e, "api").headers()).containsEntry("Retry-After", "7");
  }

  @Test
  void userinfoAnswering500OrGarbageIsIssuerUnavailableButRefusalIsInactive() {
    AccessTokenValidator validator = userinfoValidator(null);
    issuer.answer("/userinfo", new MockResponse().setResponseCode(500));
    assertUnavailable(refusedWithin(() -> validator.validate("opaque-token-1")));
    issuer.answer("/userinfo", FakeIssuer.json("null"));
    assertUnavailable(refusedWithin(() -> validator.validate("opaque-token-2")));
    issuer.answer("/userinfo", FakeIssuer.json("<html>"));
    assertUnavailable(refusedWithin(() -> validator.validate("opaque-token-3")));
    issuer.clearAnswer("/userinfo"); // the fake answers 401 for a token it does not know: the token is at fault
    assertThat(refusedWithin(() -> validator.validate("opaque-token-4")).reason()).isEqualTo(Reason.INACTIVE);
  }

  @Test
  void introspectionDownIsIssuerUnavailable() throws Exception {
    AccessTokenValidator validator = introspectionValidator(closedPortUrl("/oauth/introspect"));
    assertUnavailable(refusedWithin(() -> validator.validate("opaque-token-1")));
  }

  @Test
  void introspectionSlowIsIssuerUnavailableWithinTheTimeout() {
    issuer.answer("/oauth/introspect", silent());
    AccessTokenValidator validator = impatient().opaqueTokens(OpaqueTokenPolicy.INTROSPECT)
        .introspection(null, "api-client", "api-secret").build();
    assertUnavailable(refusedWithin(() -> validator.validate("opaque-token-1")));
  }

  @Test
  void introspection429CarriesTheIssuersRetryAfter() {
    issuer.answer("/oauth/introspect", new MockResponse().setResponseCode(429).setHeader("Retry-After", "7"));
    TokenValidationException e = refusedWithin(() -> introspectionValidator(null).validate("opaque-token-1"));
    assertUnavailable(e);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
  }

  // Regressions for the JSON fixes: an answer of 'null' escaped as a NullPointerException, and '[]' or
  // '[["active",true]]' were read as objects (the second one as an active token).
  @Test
  void introspectionAnsweringJsonNullOrGarbageIsIssuerUnavailable() {
    AccessTokenValidator validator = introspectionValidator(null);
    issuer.answer("/oauth/introspect", FakeIssuer.json("null"));
    assertUnavailable(refusedWithin(() -> validator.validate("opaque-token-1")));
    issuer.answer("/oauth/introspect", FakeIssuer.json("[]"));
    assertUnavailable(refusedWithin(() -> validator.validate("opaque-token-2")));
    issuer.answer("/oauth/introspect", FakeIssuer.json("[[\"active\",true]]")); // an array of pairs, not an object
    assertUnavailable(refusedWithin(() -> validator.validate("opaque-token-4")));
    issuer.clearAnswer("/oauth/introspect");
    assertThat(refusedWithin(() -> validator.validate("opaque-token-3")).reason()).isEqualTo(Reason.INACTIVE);
  }

  @Test
  void onlineCheckOfAJwtWithIntrospection429IsIssuerUnavailable() throws Exception {
    AccessTokenValidator validator = introspectionValidator(null);
    String token = issuer.jwt().sign();
    validator.validate(token);
    issuer.answer("/oauth/introspect", new MockResponse().setResponseCode(429).setHeader("Retry-After", "7"));
    TokenValidationException e = refusedWithin(() -> validator.validateOnline(token));
    assertUnavailable(e);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
  }

  // ------------------------------------------------------------ concurrency

  @Test
  void twoHundredConcurrentRequestsForANewKidCauseExactlyOneFetch() throws Exception {
    ValidatorTestSupport.MutableClock clock = new ValidatorTestSupport.MutableClock();
    AccessTokenValidator validator = base().clock(clock).build();
    validator.validate(issuer.jwt().claim("exp", clock.millis() / 1000 + 3600).sign());
    assertThat(issuer.jwksHits()).isEqualTo(1);

    // the issuer rotates in rsa-2; its JWKS answers slowly so the requests pile up on the one fetch
    String rotated = new JWKSet(List.of(FakeIssuer.rsaKey(0).toPublicJWK(), FakeIssuer.rsaKey(1).toPublicJWK())).toString(true);
    issuer.answer(JWKS, r -> FakeIssuer.json(rotated).setBodyDelay(300, TimeUnit.MILLISECONDS));
    clock.advanceSeconds(31);
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      tokens.add(issuer.jwt().signWith(FakeIssuer.rsaKey(1)).claim("sub", "user-" + i)
          .claim("exp", clock.millis() / 1000 + 3600).sign());
    }
    List<Object> outcomes = runConcurrently(tokens, validator::validate);
    assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(VerifiedToken.class));
    assertThat(issuer.jwksHits()).isEqualTo(2);
  }

  @Test
  void floodOfRandomKidsIsBoundedByTheCooldown() throws Exception {
    ValidatorTestSupport.MutableClock clock = new ValidatorTestSupport.MutableClock();
    AccessTokenValidator validator = base().clock(clock).build();
    validator.validate(issuer.jwt().claim("exp", clock.millis() / 1000 + 3600).sign());
    // the initial load is not rate-limited; refetches for unknown kids are, to one per 30 s cooldown
    int[] expectedHits = {2, 3, 3, 4};
    long[] advance = {0, 31, 10, 21};
    for (int round = 0; round < advance.length; round++) {
      clock.advanceSeconds(advance[round]);
      List<String> flood = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        flood.add(issuer.jwt().header("kid", UUID.randomUUID().toString()).claim("exp", clock.millis() / 1000 + 3600)
            .unsigned("c2lnbmF0dXJl"));
      }
      List<Object> outcomes = runConcurrently(flood, validator::validate);
      assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(TokenValidationException.class)
          .extracting(e -> ((TokenValidationException) e).reason()).isEqualTo(Reason.UNKNOWN_KEY));
      assertThat(issuer.jwksHits()).as("JWKS fetches after round " + round).isEqualTo(expectedHits[round]);
    }
    assertThat(issuer.hits(DISCOVERY)).isEqualTo(1);
  }

  /**
   * Keys rotate every 150 ms for 1.5 s while four threads validate a mix; with a 100 ms refetch cooldown and a
   * 200 ms refresh interval, fetches race with requests. rsa-1 stays published throughout; rsa-2 and
   * rsa-3 come and go. Allowed outcomes: rsa-1 tokens are always accepted; rotating-key tokens are
   * accepted or UNKNOWN_KEY; a forged token is never accepted.
   */
  @Test
  void keyRotationWhileRequestsFlowMakesNoWrongDecision() throws Exception {
    RSAKey attacker = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    AccessTokenValidator validator = base().clock(Clock.systemUTC()).jwksRefetchCooldown(Duration.ofMillis(100))
        .jwksRefreshInterval(Duration.ofMillis(200)).build();
    RSAKey stable = FakeIssuer.rsaKey(0);
    RSAKey[] rotating = {FakeIssuer.rsaKey(1), FakeIssuer.rsaKey(2)};
    List<String> stableTokens = new ArrayList<>();
    List<String> rotatingTokens = new ArrayList<>();
    List<String> forged = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      stableTokens.add(issuer.jwt().signWith(stable).claim("sub", "s" + i).sign());
      rotatingTokens.add(issuer.jwt().signWith(rotating[i % 2]).claim("sub", "r" + i).sign());
      forged.add(issuer.jwt().signWith(attacker).header("kid", i % 2 == 0 ? "rsa-1" : "rsa-" + (2 + i % 2))
          .claim("sub", "f" + i).sign());
    }
    AtomicBoolean running = new AtomicBoolean(true);
    Map<String, AtomicInteger> tally = new ConcurrentHashMap<>();
    List<String> wrong = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int seed = w;
        workers.add(pool.submit(() -> {
          int i = seed;
          while (running.get()) {
            i++;
            String kind = switch (i % 3) {
              case 0 -> "stable";
              case 1 -> "rotating";
              default -> "forged";
            };
            String token = (kind.equals("stable") ? stableTokens : kind.equals("rotating") ? rotatingTokens : forged)
                .get(i % 20);
            String outcome;
            try {
              validator.validate(token);
              outcome = "accepted";
            } catch (TokenValidationException e) {
              outcome = e.reason().name();
            } catch (RuntimeException e) {
              outcome = e.toString();
            }
            tally.computeIfAbsent(kind + " " + outcome, k -> new AtomicInteger()).incrementAndGet();
            boolean ok = switch (kind) {
              case "stable" -> outcome.equals("accepted");
              case "rotating" -> outcome.equals("accepted") || outcome.equals("UNKNOWN_KEY");
              default -> outcome.equals("BAD_SIGNATURE") || outcome.equals("UNKNOWN_KEY");
            };
            if (!ok && wrong.size() < 20) {
              wrong.add(kind + " token " + (i % 20) + ": " + outcome);
            }
          }
        }));
      }
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
      for (int step = 0; System.nanoTime() < end; step++) {
        issuer.publish(stable, rotating[step % 2]);
        Thread.sleep(150);
      }
      running.set(false);
      for (Future<?> f : workers) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.println("rotation outcomes: " + new java.util.TreeMap<>(tally) + ", JWKS fetches: " + issuer.jwksHits());
    assertThat(wrong).isEmpty();
    assertThat(tally).containsKey("stable accepted").containsKey("rotating accepted");
    assertThat(issuer.jwksHits()).as("rotation was actually observed").isGreaterThan(2);
  }

  private interface Validation {
    Object run(String token) throws TokenValidationException;
  }

  /** Runs one validation per token, all released at once; each outcome is a VerifiedToken or the exception. */
  private static List<Object> runConcurrently(List<String> tokens, Validation validation) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tokens.size());
    CountDownLatch ready = new CountDownLatch(tokens.size());
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Object>> futures = new ArrayList<>();
      for (String token : tokens) {
        futures.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          try {
            return validation.run(token);
          } catch (TokenValidationException e) {
            return e;
          }
        }));
      }
      ready.await(30, TimeUnit.SECONDS);
      go.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : futures) {
        outcomes.add(f.get(NO_HANG.toSeconds(), TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }
}
