package dev.tokenward.samples.support;

import static dev.tokenward.samples.support.SampleConfiguration.ALGORITHMS;
import static dev.tokenward.samples.support.SampleConfiguration.ALLOW_HTTP;
import static dev.tokenward.samples.support.SampleConfiguration.AUDIENCE;
import static dev.tokenward.samples.support.SampleConfiguration.BASE_URL;
import static dev.tokenward.samples.support.SampleConfiguration.CLIENT_ID;
import static dev.tokenward.samples.support.SampleConfiguration.CLIENT_SECRET;
import static dev.tokenward.samples.support.SampleConfiguration.CLOCK_SKEW_SECONDS;
import static dev.tokenward.samples.support.SampleConfiguration.DPOP;
import static dev.tokenward.samples.support.SampleConfiguration.DPOP_ALGORITHMS;
import static dev.tokenward.samples.support.SampleConfiguration.DPOP_MAX_AGE_SECONDS;
import static dev.tokenward.samples.support.SampleConfiguration.DPOP_NONCE;
import static dev.tokenward.samples.support.SampleConfiguration.HS256_SECRET;
import static dev.tokenward.samples.support.SampleConfiguration.INTROSPECTION_URI;
import static dev.tokenward.samples.support.SampleConfiguration.ISSUER;
import static dev.tokenward.samples.support.SampleConfiguration.JWKS_URI;
import static dev.tokenward.samples.support.SampleConfiguration.OPAQUE;
import static dev.tokenward.samples.support.SampleConfiguration.PORT;
import static dev.tokenward.samples.support.SampleConfiguration.RESOURCE;
import static dev.tokenward.samples.support.SampleConfiguration.STEP_UP_ACR;
import static dev.tokenward.samples.support.SampleConfiguration.STEP_UP_MAX_AGE_SECONDS;
import static dev.tokenward.samples.support.SampleConfiguration.USERINFO_URI;
import static dev.tokenward.test.TestIssuer.ADMIN_CLIENT;
import static dev.tokenward.test.TestIssuer.DEFAULT_API;
import static dev.tokenward.test.TestIssuer.DEMO_CLIENT;
import static dev.tokenward.test.TestIssuer.DEMO_SECRET;
import static dev.tokenward.test.TestIssuer.DEMO_USER;
import static dev.tokenward.test.TestIssuer.LIMITED_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tokenward.test.DpopKey;
import dev.tokenward.test.IssuerEndpoint;
import dev.tokenward.test.TestClock;
import dev.tokenward.test.TestIssuer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The runtime contract of the sample services (shared/SAMPLES-CONTRACT.md), over real HTTP: one
 * {@code @Nested} group per row of its tables. Both samples extend this class and so run the same
 * tests; a sample only says how it starts ({@link #name()}, {@link #factory()}), exactly as its
 * {@code main} does through {@link SampleLauncher}, with an environment map instead of the process
 * environment.
 *
 * <p>Most groups use one sample pointed at a {@link TestIssuer} of the test's own (as a real issuer:
 * {@code TOKENWARD_ISSUER} set), whose clock the tests shift to mint expired or future tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SampleContractTest {
  /** A second API on the test issuer: its tokens are for another audience. */
  protected static final String OTHER_API = "https://other-api.tokenward.dev";
  protected static final String OTHER_CLIENT = "other-client";
  /** An HS256 API on the test issuer, with its shared secret. */
  protected static final String HS_API = "https://hs256-api.tokenward.dev";
  protected static final String HS_SECRET = "the hs256 api's shared secret, 32+ bytes";
  protected static final String HS_CLIENT = "hs-client";

  /** Where the samples' printed DPoP example keeps its key in these tests: a fresh directory, not the user's home. */
  protected static final Path TEST_KEY_FILE = testKeyFile();

  private static Path testKeyFile() {
    try {
      return Files.createTempDirectory("tokenward-contract").resolve("keys").resolve("dpop-key.json");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private final TestClock clock = TestClock.system();
  /** The test's issuer, configured into {@link #sample} as a real one. */
  protected TestIssuer issuer;
  /** The sample under test with {@code TOKENWARD_ISSUER} = {@link #issuer}, audience {@value TestIssuer#DEFAULT_API}. */
  protected Started sample;

  /** The sample's name, as in its output line {@code NAME listening on ...}. */
  protected abstract String name();

  /** How the sample starts its server; what its {@code main} passes to {@link SampleLauncher#main}. */
  protected abstract SampleServer.Factory factory();

  @BeforeAll
  void startIssuerAndSample() {
    issuer = TestIssuer.defaultsBuilder().clock(clock)
        .api(OTHER_API, Endpoint.READ_MESSAGES)
        .client(OTHER_CLIENT, "other-secret", c -> c.authorize(OTHER_API, Endpoint.READ_MESSAGES))
        .hs256Api(HS_API, HS_SECRET, Endpoint.READ_MESSAGES)
        .client(HS_CLIENT, "hs-secret", c -> c.authorize(HS_API, Endpoint.READ_MESSAGES))
        .build().start();
    sample = start(issuerEnv());
  }

  @AfterAll
  void stopIssuerAndSample() {
    if (sample != null) {
      sample.close();
    }
    if (issuer != null) {
      issuer.close();
    }
  }

  // ------------------------------------------------------------------ helpers

  /** A running sample and what it printed. */
  protected record Started(RunningSample running, String output) implements AutoCloseable {
    public URI base() {
      return running.baseUri();
    }

    @Override
    public void close() {
      running.close();
    }
  }

  /** The outcome of a launch: the sample (or null), its exit code, and both output streams. */
  protected record Launched(SampleLauncher.Outcome outcome, String out, String err) {}

  /** {@code PORT=0} plus {@code pairs} (name, value; a null value leaves the variable out). */
  protected static Map<String, String> env(String... pairs) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(PORT, "0");
    env.put(SampleConfiguration.DPOP_KEY_FILE, TEST_KEY_FILE.toString()); // the printed DPoP example's key, never in ~
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] == null) {
        env.remove(pairs[i]);
      } else {
        env.put(pairs[i], pairs[i + 1]);
      }
    }
    return env;
  }

  /** {@link #env} with the test issuer as {@code TOKENWARD_ISSUER} and its API as the audience. */
  protected Map<String, String> issuerEnv(String... pairs) {
    String[] all = Stream.concat(Stream.of(ISSUER, issuer.issuer(), AUDIENCE, DEFAULT_API), Arrays.stream(pairs))
        .toArray(String[]::new);
    return env(all);
  }

  protected Launched launch(Map<String, String> env) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    SampleLauncher.Outcome outcome = SampleLauncher.launch(name(), env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), factory());
    return new Launched(outcome, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  protected Started start(Map<String, String> env) {
    Launched l = launch(env);
    assertThat(l.outcome().exitCode()).as("exit code; stderr: %s", l.err()).isZero();
    return new Started(l.outcome().sample(), l.out());
  }

  protected static Answer call(Started s, Endpoint endpoint, String token) {
    return token == null ? ContractHttp.get(s.base(), endpoint.path())
        : ContractHttp.getWithToken(s.base(), endpoint.path(), token);
  }

  protected Answer call(Endpoint endpoint, String token) {
    return call(sample, endpoint, token);
  }

  protected String demoToken() {
    return issuer.accessToken(DEMO_CLIENT, DEFAULT_API);
  }

  protected String shiftedToken(Duration shift) {
    return clock.shifted(shift, this::demoToken);
  }

  /** A 200 with the success body of the contract, matching what {@code token} grants. */
  protected static Map<String, Object> assertVerified(Answer a, String token, String tokenType) {
    assertThat(a.status()).as("%s", a).isEqualTo(200);
    assertThat(a.header("Content-Type")).get().asString().startsWith("application/json");
    Map<String, Object> body = a.json();
    assertThat(body).containsOnlyKeys("sub", "tokenType", "scopes", "permissions");
    assertThat(body.get("tokenType")).isEqualTo(tokenType);
    if (tokenType.equals("jwt")) {
      Map<String, Object> claims = ForgedTokens.claims(token);
      assertThat(body.get("sub")).isEqualTo(claims.get("sub"));
      List<String> scopes = claims.get("scope") instanceof String s && !s.isBlank()
          ? Arrays.stream(s.split(" ")).sorted().toList() : List.of();
      assertThat(body.get("scopes")).isEqualTo(scopes);
      Object perms = claims.get("permissions");
      assertThat(body.get("permissions")).isEqualTo(perms == null ? List.of()
          : ((List<?>) perms).stream().map(String::valueOf).sorted().toList());
    }
    return body;
  }

  /**
   * An RFC 6750 error answer: status, {@code Cache-Control: no-store}, a Bearer challenge in realm
   * "tokenward", and a JSON body. With an {@code error} code, body and challenge carry it and the
   * same {@code error_description}; without one (no credentials at all, RFC 6750 section 3.1)
   * neither has {@code error} nor {@code error_description}, and the body may carry a {@code message}.
   * The description never contains {@code token}.
   *
   * @return the error_description, or the message when {@code error} is null
   */
  protected static String assertRefused(Answer a, int status, String error, String token) {
    assertThat(a.status()).as("%s", a).isEqualTo(status);
    assertThat(a.header("Content-Type")).get().asString().startsWith("application/json");
    assertThat(a.header("Cache-Control")).hasValue("no-store");
    String challenge = a.header("WWW-Authenticate").orElseThrow(() -> new AssertionError("no challenge: " + a));
    assertThat(challenge).startsWith("Bearer realm=\"tokenward\"");
    Map<String, Object> body = a.json();
    String description;
    if (error == null) {
      assertThat(body).doesNotContainKeys("error", "error_description");
      assertThat(a.challengeParameter("error")).isEmpty();
      assertThat(a.challengeParameter("error_description")).isEmpty();
      description = body.get("message") instanceof String m ? m : "";
    } else {
      description = (String) body.get("error_description");
      assertThat(description).isNotBlank();
      assertThat(a.challengeParameter("error_description")).hasValue(description);
      assertThat(body).containsOnlyKeys("error", "error_description").containsEntry("error", error);
      assertThat(a.challengeParameter("error")).hasValue(error);
    }
    if (status == 401 || status == 403) { // RFC 9728 section 5.1: where the resource's metadata is
      assertThat(a.challengeParameter("resource_metadata")).as("resource_metadata of %s", challenge).get().asString()
          .matches("https?://[^/\"]+/\\.well-known/oauth-protected-resource(/[^\"]*)?");
    }
    if (token != null && !token.isEmpty()) {
      for (String part : token.split("\\.")) {
        if (part.length() >= 8) {
          assertThat(description).doesNotContain(part);
          assertThat(challenge).doesNotContain(part);
        }
      }
    }
    return description;
  }

  /** A JSON array of strings from a parsed body. */
  protected static List<String> strings(Object jsonArray) {
    assertThat(jsonArray).isInstanceOf(List.class);
    return ((List<?>) jsonArray).stream().map(String.class::cast).toList();
  }

  /**
   * A test issuer on a port of its own, bound for the whole test, whose every endpoint is cut off
   * (connections closed unanswered, {@link TestIssuer#cutOff}): the sample meets network trouble
   * at a URL where the test later brings a working issuer back ({@link #bringUpEverything}). No
   * port is ever freed and bound again, so nothing else can take it in between.
   */
  protected static TestIssuer unreachableIssuer() {
    TestIssuer unreachable = TestIssuer.defaults().start();
    for (IssuerEndpoint e : IssuerEndpoint.values()) {
      unreachable.cutOff(e);
    }
    return unreachable;
  }

  /** Every endpoint of an {@link #unreachableIssuer()} answers again, at the same URL. */
  protected static void bringUpEverything(TestIssuer unreachable) {
    for (IssuerEndpoint e : IssuerEndpoint.values()) {
      unreachable.bringUp(e);
    }
  }

  // ================================================================== Build and start

  @Nested
  @DisplayName("start: 'listening on http://127.0.0.1:PORT' once ready, GET /health 200")
  class ListeningLine {
    @Test
    void printsTheListeningLineWithTheBoundPortAndServes() {
      assertThat(sample.output()).contains(name() + " listening on http://127.0.0.1:" + sample.running().port());
      assertThat(sample.output().lines().filter(l -> l.contains("listening on http://127.0.0.1:"))).hasSize(1);
      assertThat(ContractHttp.get(sample.base(), "/health").status()).isEqualTo(200);
    }

    @Test
    void theListeningLineIsTheLastThingPrinted() {
      List<String> lines = sample.output().lines().toList();
      assertThat(lines.get(lines.size() - 1)).endsWith("listening on " + sample.base());
    }
  }

  // ================================================================== Configuration

  @Nested
  @DisplayName("PORT: default 8080; 0 picks a free port and prints it")
  class PortVariable {
    @Test
    void defaultsTo8080() {
      assertThat(SampleConfiguration.fromEnvironment(Map.of()).port()).isEqualTo(8080);
    }

    @Test
    void zeroPicksAFreePortAndPrintsIt() {
      assertThat(sample.running().port()).isPositive();
      assertThat(sample.output()).contains("listening on http://127.0.0.1:" + sample.running().port());
    }

    @Test
    void aGivenPortIsUsed() throws IOException {
      // the sample binds PORT itself, so a port seen free here can be taken before it does: only that
      // start failure (naming PORT, as aPortInUseIsAStartFailureNamingPort shows) is tried again on another port
      int port = 0;
      Launched l = null;
      for (int attempt = 1; attempt <= 3; attempt++) {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
          port = probe.getLocalPort();
        }
        l = launch(issuerEnv(PORT, Integer.toString(port)));
        if (l.outcome().exitCode() != SampleLauncher.EXIT_START_FAILURE || !l.err().contains("PORT: cannot listen")) {
          break;
        }
      }
      assertThat(l.outcome().exitCode()).as("exit code; stderr: %s", l.err()).isZero();
      try (Started s = new Started(l.outcome().sample(), l.out())) {
        assertThat(s.running().port()).isEqualTo(port);
        assertThat(s.output()).contains("listening on http://127.0.0.1:" + port);
        assertThat(ContractHttp.get(s.base(), "/health").status()).isEqualTo(200);
      }
    }

    @Test
    void aPortInUseIsAStartFailureNamingPort() throws IOException {
      try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
        Launched l = launch(issuerEnv(PORT, Integer.toString(taken.getLocalPort())));
        assertThat(l.outcome().exitCode()).isEqualTo(SampleLauncher.EXIT_START_FAILURE);
        assertThat(l.err()).contains("PORT").hasLineCount(1);
        assertThat(l.out()).doesNotContain("listening on");
      }
    }
  }

  @Nested
  @DisplayName("TOKENWARD_ISSUER: the exact iss; unset starts the embedded dev issuer")
  class IssuerVariable {
    @Test
    void aSetIssuerIsUsedAndNoDevIssuerStarts() {
      assertThat(sample.running().devIssuer()).isEmpty();
      assertThat(sample.output()).contains(issuer.issuer()).doesNotContain("curl");
      assertVerified(call(Endpoint.PRIVATE, demoToken()), demoToken(), "jwt");
    }

    @Test
    void theIssuerMustMatchExactly() throws Exception {
      try (TestIssuer other = TestIssuer.defaults().start();
           Started s = start(env(ISSUER, other.issuer(), AUDIENCE, DEFAULT_API))) {
        String description = assertRefused(call(s, Endpoint.PRIVATE, demoToken()), 401, "invalid_token", demoToken());
        assertThat(description).contains("'iss'");
      }
    }

    @Test
    void unsetStartsTheDevIssuerAndPrintsReadyToPasteCommands() throws Exception {
      try (Started s = start(env())) {
        TestIssuer dev = s.running().devIssuer().orElseThrow();
        assertThat(s.output()).contains("development issuer").contains(dev.issuer())
            .contains("demo-client").contains("limited-client").contains("curl");
        assertThat(s.output().lines().filter(l -> l.startsWith("TOKEN=$(curl"))).hasSize(4);
        assertThat(s.output()).contains("PROOF=$(java ").contains("Authorization: DPoP $TOKEN").contains("DPoP: $PROOF");
        runPrintedExamples(s, 4);
      }
    }

    @Test
    void unsetWithDpopNonceTruePrintsTheNonceRoundTripAndItWorks() throws Exception {
      try (Started s = start(env(DPOP_NONCE, "true"))) {
        assertThat(s.output()).contains("--nonce \"$NONCE\"");
        runPrintedExamples(s, 4);
      }
    }

    @Test
    void unsetWithDpopOffPrintsNoDpopExample() throws Exception {
      try (Started s = start(env(DPOP, "off"))) {
        assertThat(s.output()).doesNotContain("PROOF=$(").doesNotContain("Authorization: DPoP");
        runPrintedExamples(s, 3);
      }
    }

    /** The DPoP example's steps done by Java instead of bash and curl, so that they are proven on any machine. */
    @Test
    void theDpopExampleStepsGetA200WithoutAShell() throws Exception {
      try (Started s = start(env())) {
        TestIssuer dev = s.running().devIssuer().orElseThrow();
        String tokenProof = printedProof("POST", dev.tokenEndpoint());
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(URI.create(dev.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded").header("DPoP", tokenProof)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                    + DEMO_CLIENT + "&client_secret=" + DEMO_SECRET + "&audience=" + DEFAULT_API)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        Map<String, Object> json = new Answer(r.statusCode(), Map.of(), r.body()).json();
        assertThat(json.get("token_type")).isEqualTo("DPoP");
        String token = (String) json.get("access_token");
        String url = s.base() + Endpoint.PRIVATE.path();
        Answer a = DpopCalls.get(s.base(), Endpoint.PRIVATE.path(), token, printedProof("GET", url, token));
        assertVerified(a, token, "jwt");
        // the same key again: a bound token cannot be used with a proof by another key
        Answer other = DpopCalls.get(s.base(), Endpoint.PRIVATE.path(), token,
            DpopKey.es256().proof().url(url).accessToken(token).sign());
        assertThat(other.status()).isEqualTo(401);
      }
    }

    /** What {@code dpop-proof --key TEST_KEY_FILE ARGS} prints. */
    private String printedProof(String... args) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      String[] all = Stream.concat(Stream.of("--key", TEST_KEY_FILE.toString()), Arrays.stream(args)).toArray(String[]::new);
      int code = DpopProofCommand.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), TEST_KEY_FILE);
      assertThat(code).isZero();
      return out.toString(StandardCharsets.UTF_8).trim();
    }

    @Test
    void unsetWithOpaqueUserinfoPrintsThatTheOpaqueTokenIsLetIn() throws Exception {
      try (Started s = start(env(OPAQUE, "userinfo"))) {
        List<DevQuickstart.Example> examples = DevQuickstart.examples(s.running().devIssuer().orElseThrow(), s.base(),
            dev.tokenward.core.OpaqueTokenPolicy.USERINFO);
        assertThat(examples).extracting(DevQuickstart.Example::expectedStatus).containsExactly(200, 403, 200);
        runPrintedExamples(s, 4);
      }
    }

    @Test
    void theDevIssuerTokensGetTheAnswersTheCommandsPromise() {
      try (Started s = start(env())) {
        TestIssuer dev = s.running().devIssuer().orElseThrow();
        assertThat(call(s, Endpoint.PRIVATE_SCOPED, dev.accessToken(DEMO_CLIENT, DEFAULT_API)).status()).isEqualTo(200);
        assertRefused(call(s, Endpoint.PRIVATE_SCOPED, dev.accessToken(LIMITED_CLIENT, DEFAULT_API)), 403,
            "insufficient_scope", null);
        assertRefused(call(s, Endpoint.PRIVATE_SCOPED, dev.opaqueToken(DEMO_CLIENT)), 401, "invalid_token", null);
      }
    }

    /** Runs each printed example (bash + curl, as a user would paste it) and checks the status it gets. */
    private void runPrintedExamples(Started s, int expectedBlocks) throws Exception {
      assumeTrue(onPath("bash") && onPath("curl"), "bash and curl are needed to run the printed commands");
      String[] blocks = s.output().split("\n\n");
      int run = 0;
      for (String block : blocks) {
        Matcher expected = Pattern.compile("^# .* -> (\\d{3})$", Pattern.MULTILINE).matcher(block);
        if (!expected.find()) {
          continue;
        }
        String script = block.lines().filter(l -> !l.startsWith("#")).reduce("set -e", (a, b) -> a + "\n" + b);
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = ContractHttp.read(p.getInputStream());
        Matcher status = Pattern.compile("^HTTP/\\S+ (\\d{3})", Pattern.MULTILINE).matcher(output);
        assertThat(status.find()).as("curl output of%n%s%n%s", script, output).isTrue();
        assertThat(status.group(1)).as("%s%n%s", block, output).isEqualTo(expected.group(1));
        run++;
      }
      assertThat(run).isEqualTo(expectedBlocks);
    }

    private static boolean onPath(String command) {
      return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
          .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
  }

  @Nested
  @DisplayName("TOKENWARD_AUDIENCE: must be in aud; comma-separated for several")
  class AudienceVariable {
    @Test
    void aTokenForAnotherApiIsRefused() {
      String token = issuer.accessToken(OTHER_CLIENT, OTHER_API);
      assertThat(assertRefused(call(Endpoint.PRIVATE, token), 401, "invalid_token", token)).contains("'aud'");
    }

    @Test
    void severalAcceptedAudiencesAreCommaSeparated() {
      try (Started s = start(issuerEnv(AUDIENCE, OTHER_API + ", " + DEFAULT_API))) {
        String other = issuer.accessToken(OTHER_CLIENT, OTHER_API);
        assertVerified(call(s, Endpoint.PRIVATE, other), other, "jwt");
        assertVerified(call(s, Endpoint.PRIVATE, demoToken()), demoToken(), "jwt");
      }
    }
  }

  @Nested
  @DisplayName("TOKENWARD_JWKS_URI: skips discovery for keys")
  class JwksUriVariable {
    @Test
    void theGivenJwksIsTheOneUsed() {
      try (TestIssuer other = TestIssuer.defaults().start();
           Started wrongKeys = start(issuerEnv(JWKS_URI, other.jwksUri()));
           Started rightKeys = start(issuerEnv(JWKS_URI, issuer.jwksUri()))) {
        assertRefused(call(wrongKeys, Endpoint.PRIVATE, demoToken()), 401, "invalid_token", demoToken());
        assertVerified(call(rightKeys, Endpoint.PRIVATE, demoToken()), demoToken(), "jwt");
      }
    }
  }

  @Nested
  @DisplayName("TOKENWARD_ALGORITHMS and TOKENWARD_HS256_SECRET: RS256 by default; HS256 with its secret")
  class AlgorithmVariables {
    @Test
    void rs256ByDefaultSoAnHs256TokenIsRefused() {
      String token = issuer.accessToken(HS_CLIENT, HS_API);
      try (Started s = start(issuerEnv(AUDIENCE, HS_API))) {
        assertThat(assertRefused(call(s, Endpoint.PRIVATE, token), 401, "invalid_token", token)).contains("'alg'");
      }
    }

    @Test
    void hs256WithTheApisSecretIsAccepted() {
      String token = issuer.accessToken(HS_CLIENT, HS_API);
      try (Started s = start(issuerEnv(AUDIENCE, HS_API, ALGORITHMS, "HS256", HS256_SECRET, HS_SECRET))) {
        assertVerified(call(s, Endpoint.PRIVATE_SCOPED, token), token, "jwt");
        String forged = ForgedTokens.hs256WithMadeUpSecret(token);
        assertRefused(call(s, Endpoint.PRIVATE, forged), 401, "invalid_token", forged);
      }
    }

    @Test
    void aSecretWithoutHs256AmongTheAlgorithmsIsIgnored() {
      try (Started s = start(issuerEnv(HS256_SECRET, HS_SECRET))) {
        assertThat(s.output()).contains(HS256_SECRET + " is set but ignored");
        assertThat(s.output()).doesNotContain(HS_SECRET);
        String hs = issuer.accessToken(HS_CLIENT, HS_API);
        assertRefused(call(s, Endpoint.PRIVATE, hs), 401, "invalid_token", hs);
        assertVerified(call(s, Endpoint.PRIVATE, demoToken()), demoToken(), "jwt");
      }
    }
  }

  @Nested
  @DisplayName("TOKENWARD_CLOCK_SKEW_SECONDS: leeway for exp, nbf, iat; default 60")
  class ClockSkewVariable {
    private final Duration expired30sAgo = TestIssuer.DEFAULT_TOKEN_LIFETIME.plusSeconds(30).negated();

    @Test
    void aTokenExpired30SecondsAgoPassesWithTheDefault60() {
      String token = shiftedToken(expired30sAgo);
      assertVerified(call(Endpoint.PRIVATE, token), token, "jwt");
    }

    @Test
    void andIsRefusedWithNoSkew() {
      String token = shiftedToken(expired30sAgo);
      try (Started s = start(issuerEnv(CLOCK_SKEW_SECONDS, "0"))) {
        assertThat(assertRefused(call(s, Endpoint.PRIVATE, token), 401, "invalid_token", token)).contains("expired");
      }
    }
  }

  @Nested
  @DisplayName("TOKENWARD_OPAQUE: reject (default), userinfo, introspect")
  class OpaqueVariable {
    @Test
    void rejectedByDefaultAdvisingTheAudienceParameter() {
      String token = issuer.opaqueToken(DEMO_CLIENT);
      String description = assertRefused(call(Endpoint.PRIVATE, token), 401, "invalid_token", token);
      assertThat(description).contains("opaque").contains("audience");
    }

    @Test
    void userinfoLetsAnActiveOpaqueTokenInWithItsScopes() {
      String token = issuer.opaqueToken(DEMO_CLIENT);
      try (Started s = start(issuerEnv(OPAQUE, "userinfo"))) {
        Map<String, Object> body = assertVerified(call(s, Endpoint.PRIVATE_SCOPED, token), token, "opaque");
        assertThat(body).containsEntry("sub", DEMO_CLIENT + "@clients");
        assertThat(strings(body.get("scopes"))).contains(Endpoint.READ_MESSAGES);
        assertVerified(call(s, Endpoint.PRIVATE, demoToken()), demoToken(), "jwt");
      }
    }

    @Test
    void introspectAsksTheIssuersIntrospectionEndpointFoundByDiscovery() {
      // an Auth0-style opaque token is for /userinfo only: introspection says so, and it is refused
      String token = issuer.opaqueToken(ADMIN_CLIENT);
      try (Started s = start(issuerEnv(OPAQUE, "introspect", CLIENT_ID, DEMO_CLIENT, CLIENT_SECRET, DEMO_SECRET))) {
        assertThat(assertRefused(call(s, Endpoint.ADMIN, token), 401, "invalid_token", token))
            .contains("introspection").contains("audience");
      }
    }

    @Test
    void introspectLetsAnActiveTokenForTheApiInWithItsScopes() {
      // an opaque token whose introspection answer names the API (the test kit mints it; Auth0's never do)
      String token = issuer.opaque().subject("someone@clients").audience(DEFAULT_API)
          .scopes("read:messages", "admin:all").issue();
      try (Started s = start(issuerEnv(OPAQUE, "introspect", CLIENT_ID, DEMO_CLIENT, CLIENT_SECRET, DEMO_SECRET))) {
        int before = issuer.requestCount(IssuerEndpoint.INTROSPECTION);
        Map<String, Object> body = assertVerified(call(s, Endpoint.ADMIN, token), token, "opaque");
        assertThat(body).containsEntry("sub", "someone@clients");
        assertThat(strings(body.get("scopes"))).containsExactly(Endpoint.ADMIN_ALL, Endpoint.READ_MESSAGES);
        assertThat(issuer.requestCount(IssuerEndpoint.INTROSPECTION)).isEqualTo(before + 1);
      }
    }
  }

  @Nested
  @DisplayName("TOKENWARD_USERINFO_URI, TOKENWARD_INTROSPECTION_URI: instead of discovery's")
  class EndpointVariables {
    @Test
    void theGivenUserinfoEndpointIsTheOneAsked() {
      String token = issuer.opaqueToken(DEMO_CLIENT);
      try (TestIssuer other = TestIssuer.defaults().start();
           Started elsewhere = start(issuerEnv(OPAQUE, "userinfo", USERINFO_URI, other.userinfoEndpoint()));
           Started here = start(issuerEnv(OPAQUE, "userinfo", USERINFO_URI, issuer.userinfoEndpoint()))) {
        assertRefused(call(elsewhere, Endpoint.PRIVATE, token), 401, "invalid_token", token);
        assertVerified(call(here, Endpoint.PRIVATE, token), token, "opaque");
      }
    }

    @Test
    void theGivenIntrospectionEndpointIsTheOneAskedWithTheClientCredentials() {
      try (TestIssuer here = TestIssuer.defaults().start()) {
        // known to the other endpoint only (its clients include DEMO_CLIENT too), answering for the sample's issuer
        String token = here.opaque().subject("someone@clients").audience(DEFAULT_API).scopes("read:messages")
            .claim("iss", issuer.issuer()).issue();
        try (Started asksHere = start(issuerEnv(OPAQUE, "introspect", INTROSPECTION_URI, here.introspectionEndpoint(),
                 CLIENT_ID, DEMO_CLIENT, CLIENT_SECRET, DEMO_SECRET));
             Started asksTheIssuer = start(issuerEnv(OPAQUE, "introspect",
                 CLIENT_ID, DEMO_CLIENT, CLIENT_SECRET, DEMO_SECRET))) {
          assertVerified(call(asksHere, Endpoint.PRIVATE, token), token, "opaque");
          assertThat(here.requestCount(IssuerEndpoint.INTROSPECTION)).isEqualTo(1);
          assertRefused(call(asksTheIssuer, Endpoint.PRIVATE, token), 401, "invalid_token", token);
        }
      }
    }
  }

  @Nested
  @DisplayName("TOKENWARD_ALLOW_HTTP: http for a non-loopback issuer only when true; loopback always")
  class AllowHttpVariable {
    @Test
    void aRemoteHttpIssuerIsAConfigurationError() {
      Launched l = launch(env(ISSUER, "http://issuer.tokenward.invalid/", AUDIENCE, DEFAULT_API));
      assertThat(l.outcome().exitCode()).isEqualTo(SampleLauncher.EXIT_CONFIGURATION_ERROR);
      assertThat(l.err()).startsWith(ISSUER + ": ").contains(ALLOW_HTTP);
    }

    @Test
    void isAcceptedWithAllowHttpTrue() {
      // nothing contacts the issuer until a token arrives, and none is sent here
      try (Started s = start(env(ISSUER, "http://issuer.tokenward.invalid/", AUDIENCE, DEFAULT_API, ALLOW_HTTP, "true"))) {
        assertThat(ContractHttp.get(s.base(), "/health").status()).isEqualTo(200);
      }
    }

    @Test
    void loopbackHttpNeedsNothing() {
      assertThat(issuer.issuer()).startsWith("http://127.0.0.1:");
      assertThat(sample.running().port()).isPositive();
    }
  }

  @Nested
  @DisplayName("configuration error: non-zero exit, one line naming the variable")
  class ConfigurationErrors {
    static Stream<Arguments> cases() {
      String iss = "https://tenant.example.com/";
      return Stream.of(
          Arguments.of(AUDIENCE, env(ISSUER, iss)),
          Arguments.of(ALGORITHMS, env(ISSUER, iss, AUDIENCE, DEFAULT_API, ALGORITHMS, "RS257")),
          Arguments.of(ALGORITHMS, env(ISSUER, iss, AUDIENCE, DEFAULT_API, ALGORITHMS, "none")),
          Arguments.of(ALGORITHMS, env(ALGORITHMS, "RS256,NONE")),
          Arguments.of(HS256_SECRET, env(ISSUER, iss, AUDIENCE, DEFAULT_API, ALGORITHMS, "RS256,HS256")),
          Arguments.of(HS256_SECRET, env(ISSUER, iss, AUDIENCE, DEFAULT_API, ALGORITHMS, "HS256", HS256_SECRET, "short")),
          Arguments.of(ISSUER, env(ISSUER, "http://tenant.example.com/", AUDIENCE, DEFAULT_API)),
          Arguments.of(ISSUER, env(ISSUER, "tenant.example.com", AUDIENCE, DEFAULT_API)),
          Arguments.of(JWKS_URI, env(ISSUER, iss, AUDIENCE, DEFAULT_API, JWKS_URI, "http://keys.example.com/jwks.json")),
          Arguments.of(USERINFO_URI, env(ISSUER, iss, AUDIENCE, DEFAULT_API, USERINFO_URI, "ftp://example.com/")),
          Arguments.of(PORT, env(PORT, "eighty")),
          Arguments.of(PORT, env(PORT, "65536")),
          Arguments.of(CLOCK_SKEW_SECONDS, env(CLOCK_SKEW_SECONDS, "-1")),
          Arguments.of(CLOCK_SKEW_SECONDS, env(CLOCK_SKEW_SECONDS, "601")),
          Arguments.of(OPAQUE, env(OPAQUE, "sometimes")),
          Arguments.of(CLIENT_ID, env(ISSUER, iss, AUDIENCE, DEFAULT_API, OPAQUE, "introspect")),
          Arguments.of(CLIENT_SECRET, env(CLIENT_ID, DEMO_CLIENT)),
          Arguments.of(ALLOW_HTTP, env(ALLOW_HTTP, "yes")),
          Arguments.of(RESOURCE, env(RESOURCE, "api.example.test")),
          Arguments.of(RESOURCE, env(RESOURCE, "http://api.example.test")),
          Arguments.of(RESOURCE, env(RESOURCE, "https://api.example.test/#fragment")),
          Arguments.of(STEP_UP_ACR, env(STEP_UP_ACR, "urn:a,urn:has space")),
          Arguments.of(STEP_UP_MAX_AGE_SECONDS, env(STEP_UP_MAX_AGE_SECONDS, "0")),
          Arguments.of(STEP_UP_MAX_AGE_SECONDS, env(STEP_UP_MAX_AGE_SECONDS, "five minutes")));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("cases")
    void exitsWithOneLineNamingTheVariable(String variable, Map<String, String> env) {
      Launched l = launch(env);
      assertThat(l.outcome().sample()).isNull();
      assertThat(l.outcome().exitCode()).isEqualTo(SampleLauncher.EXIT_CONFIGURATION_ERROR);
      assertThat(l.err()).startsWith(variable + ": ").hasLineCount(1);
      assertThat(l.out()).doesNotContain("listening on");
    }

    @Test
    void theMessageNeverShowsTheSecret() {
      Launched l = launch(env(ALGORITHMS, "HS256", HS256_SECRET, "tooShortSecret"));
      assertThat(l.err()).startsWith(HS256_SECRET + ": ").doesNotContain("tooShortSecret");
    }
  }

  // ================================================================== Endpoints

  @Nested
  @DisplayName("GET /health: no rule, 200")
  class HealthEndpoint {
    @Test
    void answers200WithoutAToken() {
      assertThat(call(Endpoint.HEALTH, null).status()).isEqualTo(200);
    }

    @Test
    void doesNotLookAtATokenSentAnyway() {
      assertThat(call(Endpoint.HEALTH, "not-a-valid-token").status()).isEqualTo(200);
    }

    @Test
    void carriesTheIssuersHealthOnceKeysAreLoaded() throws Exception {
      String token = demoToken();
      assertVerified(call(Endpoint.PRIVATE, token), token, "jwt"); // the keys are loaded by now
      Answer a = call(Endpoint.HEALTH, null);
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.header("Content-Type")).get().asString().startsWith("application/json");
      Map<String, Object> body = a.json();
      assertThat(body.get("status")).isEqualTo("UP");
      Map<?, ?> one = (Map<?, ?>) ((List<?>) body.get("issuers")).get(0);
      assertThat(one.get("issuer")).isEqualTo(issuer.issuer());
      assertThat(one.get("status")).isEqualTo("UP");
      assertThat(((Number) one.get("keys")).intValue()).isPositive();
      assertThat(one.get("lastFetch")).asString().matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
      assertThat(one.get("lastError")).isNull();
      Answer ready = ContractHttp.get(sample.base(), SampleResponses.READY_PATH);
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.json().get("status")).isEqualTo("UP");
    }
  }

  @Nested
  @DisplayName("GET /health and /health/ready with the issuer unreachable: DOWN naming the URL, 503 ready, recovering without a restart")
  class HealthWhenIssuerUnreachable {
    @Test
    void healthDownReadyUnavailableThenBothRecoverWhenTheIssuerAnswers() throws Exception {
      try (TestIssuer back = unreachableIssuer();
           Started s = start(env(ISSUER, "http://127.0.0.1:" + back.port() + "/", AUDIENCE, DEFAULT_API))) {
        int port = back.port();
        Answer health = ContractHttp.get(s.base(), Endpoint.HEALTH.path());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (issuerField(health, "lastError") == null && System.nanoTime() < deadline) {
          Thread.sleep(250); // the probe itself starts the fetch; its failure shows once it has ended
          health = ContractHttp.get(s.base(), Endpoint.HEALTH.path());
        }
        assertThat(health.status()).as("liveness stays 200").isEqualTo(200);
        assertThat(health.json().get("status")).isEqualTo("DOWN");
        assertThat(issuerField(health, "status")).isEqualTo("DOWN");
        assertThat(((Number) issuerField(health, "keys")).intValue()).isZero();
        assertThat((String) issuerField(health, "lastError")).as("network trouble, not an HTTP answer")
            .contains("127.0.0.1:" + port).contains("could not be reached");
        Answer ready = ContractHttp.get(s.base(), SampleResponses.READY_PATH);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().get("status")).isEqualTo("DOWN");

        bringUpEverything(back);
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ready.status() == 503 && System.nanoTime() < deadline) {
          Thread.sleep(250);
          ready = ContractHttp.get(s.base(), SampleResponses.READY_PATH);
        }
        assertThat(ready.status()).as("ready once the issuer answers, without a restart").isEqualTo(200);
        health = ContractHttp.get(s.base(), Endpoint.HEALTH.path());
        assertThat(issuerField(health, "status")).isEqualTo("UP");
        assertThat(issuerField(health, "lastError")).isNull();
        String token = back.accessToken(DEMO_CLIENT, DEFAULT_API);
        assertVerified(call(s, Endpoint.PRIVATE, token), token, "jwt");
      }
    }

    private Object issuerField(Answer health, String field) {
      return ((Map<?, ?>) ((List<?>) health.json().get("issuers")).get(0)).get(field);
    }
  }

  @Nested
  @DisplayName("issuer outage (issue #15, done means): /health, /health/ready and /metrics follow the JWKS down and back, without a restart")
  class IssuerOutageAndRecovery {
    private static final String UNAVAILABLE = "reason=\"ISSUER_UNAVAILABLE\"";

    @Test
    void jwksDownFromTheStartThenDownReady503AndEach503CountedThenAllThreeRecover() throws Exception {
      try (TestIssuer own = TestIssuer.defaults().start()) {
        own.takeDown(IssuerEndpoint.JWKS);
        try (Started s = start(env(ISSUER, own.issuer(), AUDIENCE, DEFAULT_API))) {
          String issuerLabel = "issuer=\"" + own.issuer() + "\"";
          Answer health = awaitHealth(s, h -> issuerField(h, "lastError") != null);
          assertThat(health.status()).as("liveness stays 200").isEqualTo(200);
          assertThat(issuerField(health, "status")).isEqualTo("DOWN");
          assertThat(((Number) issuerField(health, "keys")).intValue()).isZero();
          assertThat((String) issuerField(health, "lastError")).contains(own.jwksUri());
          Answer ready = ContractHttp.get(s.base(), SampleResponses.READY_PATH);
          assertThat(ready.status()).isEqualTo(503);
          assertThat(ready.json().get("status")).isEqualTo("DOWN");
          String scrape = scrape(s);
          double refusedBefore = metric(scrape, "tokenward_validations_total", "outcome=\"refused\"", UNAVAILABLE,
              issuerLabel);
          double refusedElsewhere = metric(scrape, "tokenward_validations_total", "outcome=\"refused\"")
              - refusedBefore;
          assertThat(scrape).contains("tokenward_jwks_keys{" + issuerLabel, "tokenward_issuer_status{" + issuerLabel);
          assertThat(metric(scrape, "tokenward_jwks_keys", issuerLabel)).isZero();
          assertThat(metric(scrape, "tokenward_issuer_status", issuerLabel)).isZero();

          String token = own.accessToken(DEMO_CLIENT, DEFAULT_API);
          int requests = 3;
          for (int i = 0; i < requests; i++) {
            Answer a = call(s, Endpoint.PRIVATE, token);
            assertRefused(a, 503, "temporarily_unavailable", token);
            assertThat(a.header("Retry-After")).get().asString().matches("[1-9][0-9]*");
          }

          scrape = scrape(s);
          assertThat(metric(scrape, "tokenward_validations_total", "outcome=\"refused\"", UNAVAILABLE, issuerLabel))
              .as("one ISSUER_UNAVAILABLE refusal per 503, under the configured issuer")
              .isEqualTo(refusedBefore + requests);
          assertThat(metric(scrape, "tokenward_validations_total", "outcome=\"refused\"") - refusedBefore - requests)
              .as("no other refusal counted").isEqualTo(refusedElsewhere);
          assertThat(metric(scrape, "tokenward_jwks_fetches_total", "outcome=\"failure\"", issuerLabel)).isPositive();
          assertThat(scrape).doesNotContain(token.substring(token.lastIndexOf('.') + 1));

          own.bringUp(IssuerEndpoint.JWKS);
          ready = awaitReady(s);
          assertThat(ready.status()).as("ready once the JWKS answers, without a restart").isEqualTo(200);
          health = ContractHttp.get(s.base(), Endpoint.HEALTH.path());
          assertThat(issuerField(health, "status")).isEqualTo("UP");
          assertThat(((Number) issuerField(health, "keys")).intValue()).isPositive();
          assertThat(issuerField(health, "lastError")).isNull();
          assertVerified(call(s, Endpoint.PRIVATE, token), token, "jwt");
          scrape = scrape(s);
          assertThat(metric(scrape, "tokenward_validations_total", "outcome=\"accepted\"", issuerLabel)).isEqualTo(1);
          assertThat(metric(scrape, "tokenward_validations_total", "outcome=\"refused\"", UNAVAILABLE, issuerLabel))
              .as("no more 503s once it is back").isEqualTo(refusedBefore + requests);
          assertThat(metric(scrape, "tokenward_issuer_status", issuerLabel)).isEqualTo(2);
          assertThat(metric(scrape, "tokenward_jwks_keys", issuerLabel)).isPositive();
        }
      }
    }

    @Test
    void jwksDownWhileKeysAreCachedThenDegradedStillReadyKnownKeysServeThenUp() throws Exception {
      try (TestIssuer own = TestIssuer.defaults().start();
           Started s = start(env(ISSUER, own.issuer(), AUDIENCE, DEFAULT_API))) {
        String issuerLabel = "issuer=\"" + own.issuer() + "\"";
        String token = own.accessToken(DEMO_CLIENT, DEFAULT_API);
        assertVerified(call(s, Endpoint.PRIVATE, token), token, "jwt");

        own.takeDown(IssuerEndpoint.JWKS);
        String rotated = own.jwt().keyId("a-key-published-while-the-jwks-is-down").sign();
        double before = metric(scrape(s), "tokenward_validations_total", "outcome=\"refused\"", UNAVAILABLE,
            issuerLabel);
        Answer unknownKey = call(s, Endpoint.PRIVATE, rotated); // its refetch fails: neither found nor ruled out
        assertRefused(unknownKey, 503, "temporarily_unavailable", rotated);

        Answer health = ContractHttp.get(s.base(), Endpoint.HEALTH.path());
        assertThat(health.status()).isEqualTo(200);
        assertThat(issuerField(health, "status")).as("serving cached keys while the JWKS fails").isEqualTo("DEGRADED");
        assertThat(((Number) issuerField(health, "keys")).intValue()).isPositive();
        assertThat((String) issuerField(health, "lastError")).contains(own.jwksUri());
        assertThat(ContractHttp.get(s.base(), SampleResponses.READY_PATH).status())
            .as("keys are loaded: still ready").isEqualTo(200);
        assertVerified(call(s, Endpoint.PRIVATE, token), token, "jwt");
        String scrape = scrape(s);
        assertThat(metric(scrape, "tokenward_validations_total", "outcome=\"refused\"", UNAVAILABLE, issuerLabel))
            .isEqualTo(before + 1);
        assertThat(metric(scrape, "tokenward_issuer_status", issuerLabel)).isEqualTo(1);
        assertThat(metric(scrape, "tokenward_jwks_unknown_kid_total", issuerLabel)).isEqualTo(1);

        own.bringUp(IssuerEndpoint.JWKS);
        health = awaitHealth(s, h -> "UP".equals(issuerField(h, "status")));
        assertThat(issuerField(health, "status")).as("UP again without a restart or a token").isEqualTo("UP");
        assertThat(issuerField(health, "lastError")).isNull();
        assertThat(metric(scrape(s), "tokenward_issuer_status", issuerLabel)).isEqualTo(2);
      }
    }

    /** Polls {@code /health} (each probe may start the retry itself) until {@code done}, at most 30 s. */
    private Answer awaitHealth(Started s, java.util.function.Predicate<Answer> done) throws InterruptedException {
      Answer health = ContractHttp.get(s.base(), Endpoint.HEALTH.path());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!done.test(health) && System.nanoTime() < deadline) {
        Thread.sleep(250);
        health = ContractHttp.get(s.base(), Endpoint.HEALTH.path());
      }
      return health;
    }

    private Answer awaitReady(Started s) throws InterruptedException {
      Answer ready = ContractHttp.get(s.base(), SampleResponses.READY_PATH);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (ready.status() == 503 && System.nanoTime() < deadline) {
        Thread.sleep(250); // past the failure backoff, the probe's own retry loads the keys
        ready = ContractHttp.get(s.base(), SampleResponses.READY_PATH);
      }
      return ready;
    }

    private Object issuerField(Answer health, String field) {
      return ((Map<?, ?>) ((List<?>) health.json().get("issuers")).get(0)).get(field);
    }

    private String scrape(Started s) {
      Answer a = ContractHttp.get(s.base(), SampleMetrics.PATH);
      assertThat(a.status()).isEqualTo(200);
      return a.body();
    }

    /** The sum of the sample lines of {@code name} whose labels include all of {@code labels}; 0 when none. */
    private double metric(String scrape, String name, String... labels) {
      double sum = 0;
      for (String line : scrape.split("\n")) {
        if (line.startsWith(name + "{")) {
          String labelSet = line.substring(name.length(), line.lastIndexOf('}') + 1);
          if (Arrays.stream(labels).allMatch(labelSet::contains)) {
            sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          }
        }
      }
      return sum;
    }
  }

  @Nested
  @DisplayName("GET /api/public: no rule, 200 {\"message\": ...}")
  class PublicEndpoint {
    @Test
    void answersAMessage() {
      Answer a = call(Endpoint.PUBLIC, null);
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.header("Content-Type")).get().asString().startsWith("application/json");
      assertThat(a.json()).containsOnlyKeys("message");
      assertThat(a.json().get("message")).isInstanceOf(String.class);
    }

    @Test
    void doesNotLookAtATokenSentAnyway() {
      assertThat(call(Endpoint.PUBLIC, ForgedTokens.unsigned(demoToken())).status()).isEqualTo(200);
    }
  }

  @Nested
  @DisplayName("GET /api/private: any valid access token")
  class PrivateEndpoint {
    @Test
    void answersTheTokensSubjectScopesAndPermissions() {
      String token = demoToken();
      Map<String, Object> body = assertVerified(call(Endpoint.PRIVATE, token), token, "jwt");
      assertThat(body).containsEntry("sub", DEMO_CLIENT + "@clients");
      assertThat(strings(body.get("scopes"))).containsExactly(Endpoint.READ_MESSAGES);
    }

    @Test
    void aTokenWithoutAnyScopeIsEnough() {
      String token = issuer.accessToken(LIMITED_CLIENT, DEFAULT_API);
      assertThat(assertVerified(call(Endpoint.PRIVATE, token), token, "jwt").get("scopes")).isEqualTo(List.of());
    }

    @Test
    void aUsersTokenAnswersItsPermissions() {
      String token = issuer.userAccessToken(DEMO_USER, DEMO_CLIENT, DEFAULT_API);
      Map<String, Object> body = assertVerified(call(Endpoint.PRIVATE, token), token, "jwt");
      assertThat(strings(body.get("permissions"))).containsExactly(Endpoint.READ_MESSAGES);
      assertThat((String) body.get("sub")).startsWith("auth0|");
    }
  }

  @Nested
  @DisplayName("GET /api/private-scoped: read:messages as a scope or a permission")
  class PrivateScopedEndpoint {
    @Test
    void aTokenGrantingTheScopeGets200() {
      String token = demoToken();
      assertVerified(call(Endpoint.PRIVATE_SCOPED, token), token, "jwt");
    }

    @Test
    void aTokenGrantingItAsAPermissionOnlyGets200() {
      String token = issuer.userAccessToken(DEMO_USER, DEMO_CLIENT, DEFAULT_API, "openid"); // scope "openid", RBAC permissions
      assertThat(ForgedTokens.claims(token).get("scope")).asString().doesNotContain(Endpoint.READ_MESSAGES);
      assertVerified(call(Endpoint.PRIVATE_SCOPED, token), token, "jwt");
    }

    @Test
    void aTokenWithoutItGets403() {
      String token = issuer.accessToken(LIMITED_CLIENT, DEFAULT_API);
      assertRefused(call(Endpoint.PRIVATE_SCOPED, token), 403, "insufficient_scope", token);
    }
  }

  @Nested
  @DisplayName("GET /api/admin: admin:all as a scope or a permission")
  class AdminEndpoint {
    @Test
    void anAdminTokenGets200() {
      String token = issuer.accessToken(ADMIN_CLIENT, DEFAULT_API);
      Map<String, Object> body = assertVerified(call(Endpoint.ADMIN, token), token, "jwt");
      assertThat(strings(body.get("scopes"))).containsExactly(Endpoint.ADMIN_ALL, Endpoint.READ_MESSAGES);
    }

    @Test
    void aReadOnlyTokenGets403() {
      String token = demoToken();
      assertRefused(call(Endpoint.ADMIN, token), 403, "insufficient_scope", token);
    }
  }

  // ================================================================== Errors (RFC 6750 section 3)

  @Nested
  @DisplayName("no credentials at all: 401, no error code")
  class NoCredentials {
    @ParameterizedTest
    @EnumSource(value = Endpoint.class, names = {"PRIVATE", "PRIVATE_SCOPED", "ADMIN"})
    void everyProtectedEndpointAnswers401WithAChallengeWithoutErrorCode(Endpoint endpoint) {
      assertRefused(call(endpoint, null), 401, null, null);
    }

    @Test
    void aTokenInTheQueryStringIsNotAccepted() {
      String token = demoToken();
      assertRefused(ContractHttp.get(sample.base(), Endpoint.PRIVATE.path() + "?access_token=" + token), 401, null, token);
    }
  }

  @Nested
  @DisplayName("another scheme (Basic ...): 401, no error code")
  class OtherScheme {
    @Test
    void basicCredentialsAreNoBearerToken() {
      assertRefused(ContractHttp.get(sample.base(), Endpoint.PRIVATE.path(),
          List.of("Authorization: Basic ZGVtby1jbGllbnQ6ZGVtby1zZWNyZXQ=")), 401, null, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bearer", "BEARER", "BeArEr"})
    void theBearerSchemeIsMatchedCaseInsensitively(String scheme) {
      String token = demoToken();
      assertVerified(ContractHttp.get(sample.base(), Endpoint.PRIVATE.path(),
          List.of("Authorization: " + scheme + " " + token)), token, "jwt");
    }
  }

  @Nested
  @DisplayName("malformed request: 400 invalid_request")
  class MalformedRequest {
    @ParameterizedTest
    @ValueSource(strings = {"Bearer ", "Bearer", "Bearer abc!def", "Bearer abc def", "Bearer =abc", "Bearer abc@def.ghi"})
    void anEmptyValueOrCharactersOutsideB64token(String header) {
      assertRefused(ContractHttp.get(sample.base(), Endpoint.PRIVATE.path(), List.of("Authorization: " + header)),
          400, "invalid_request", null);
    }

    @Test
    void severalAuthorizationHeaders() {
      String token = demoToken();
      assertRefused(ContractHttp.get(sample.base(), Endpoint.PRIVATE.path(),
          List.of("Authorization: Bearer " + token, "Authorization: Bearer " + token)), 400, "invalid_request", token);
    }

    @Test
    void aQueryTokenBesideTheHeaderIsIgnoredBecauseQueryTokensAreNotConfigured() {
      // "token in more than one place" needs a second accepted place; the samples accept only the header
      String token = demoToken();
      assertVerified(ContractHttp.getWithToken(sample.base(), Endpoint.PRIVATE.path() + "?access_token=" + token, token),
          token, "jwt");
    }
  }

  @Nested
  @DisplayName("token fails validation: 401 invalid_token, naming the check")
  class InvalidToken {
    private String refused(String token) {
      return assertRefused(call(Endpoint.PRIVATE, token), 401, "invalid_token", token);
    }

    @Test
    void signature() {
      String tampered = ForgedTokens.tampered(demoToken(), "scope", "read:messages admin:all");
      assertThat(refused(tampered)).contains("signature");
      assertRefused(call(Endpoint.ADMIN, tampered), 401, "invalid_token", tampered);
    }

    @Test
    void algorithm() {
      refused(ForgedTokens.unsigned(demoToken())); // alg none, empty signature: refused before any key is used
      assertThat(refused(ForgedTokens.hs256WithMadeUpSecret(demoToken()))).contains("'alg'");
    }

    @Test
    void issuer() throws Exception {
      try (TestIssuer other = TestIssuer.defaults().start()) {
        assertThat(refused(other.accessToken(DEMO_CLIENT, DEFAULT_API))).contains("'iss'");
      }
    }

    @Test
    void audience() {
      assertThat(refused(issuer.accessToken(OTHER_CLIENT, OTHER_API))).contains("'aud'");
    }

    @Test
    void expiry() {
      assertThat(refused(shiftedToken(TestIssuer.DEFAULT_TOKEN_LIFETIME.plusMinutes(5).negated()))).contains("expired");
    }

    @Test
    void notBefore() {
      assertThat(refused(shiftedToken(Duration.ofMinutes(10)))).contains("'iat'");
    }

    @Test
    void malformedJwt() {
      assertThat(refused("eyJhbGciOiJSUzI1NiJ9.bm90LWpzb24.c2lnbmF0dXJl")).contains("well-formed");
    }

    @Test
    void idTokenPresentedAsAccessToken() {
      assertThat(refused(issuer.idToken(DEMO_USER, DEMO_CLIENT, "nonce-1"))).contains("ID token");
    }

    @Test
    void opaqueTokenWhileOpaqueTokensAreRejected() {
      assertThat(refused(issuer.opaqueToken(DEMO_CLIENT))).contains("opaque");
    }

    @Test
    void opaqueTokenTheIssuerSaysIsInactive() {
      String token = issuer.opaqueToken(DEMO_CLIENT);
      issuer.revoke(token);
      try (Started userinfo = start(issuerEnv(OPAQUE, "userinfo"));
           Started introspect = start(issuerEnv(OPAQUE, "introspect", CLIENT_ID, DEMO_CLIENT, CLIENT_SECRET, DEMO_SECRET))) {
        assertRefused(call(userinfo, Endpoint.PRIVATE, token), 401, "invalid_token", token);
        assertRefused(call(introspect, Endpoint.PRIVATE, token), 401, "invalid_token", token);
      }
    }
  }

  @Nested
  @DisplayName("valid token, missing scope or permission: 403 insufficient_scope with scope=\"NEEDED\"")
  class InsufficientScope {
    @Test
    void namesTheNeededScopeInTheChallenge() {
      String token = issuer.accessToken(LIMITED_CLIENT, DEFAULT_API);
      Answer a = call(Endpoint.PRIVATE_SCOPED, token);
      assertRefused(a, 403, "insufficient_scope", token);
      assertThat(a.challengeParameter("scope")).hasValue(Endpoint.READ_MESSAGES);
    }

    @Test
    void forTheAdminEndpoint() {
      Answer a = call(Endpoint.ADMIN, demoToken());
      assertRefused(a, 403, "insufficient_scope", demoToken());
      assertThat(a.challengeParameter("scope")).hasValue(Endpoint.ADMIN_ALL);
    }
  }

  @Nested
  @DisplayName("issuer unreachable: starts anyway, 503 temporarily_unavailable with Retry-After, serves once it answers")
  class IssuerUnavailable {
    @Test
    void startsAnswers503AndServesOnceTheIssuerAnswers() throws Exception {
      try (TestIssuer back = unreachableIssuer();
           Started s = start(env(ISSUER, "http://127.0.0.1:" + back.port() + "/", AUDIENCE, DEFAULT_API))) {
        String early = back.accessToken(DEMO_CLIENT, DEFAULT_API); // minted in the test, not at the cut-off endpoint
        assertThat(s.output()).contains("listening on");
        Answer down = call(s, Endpoint.PRIVATE, early);
        assertRefused(down, 503, "temporarily_unavailable", early);
        assertThat(down.header("Retry-After")).get().asString().matches("[1-9][0-9]*");

        bringUpEverything(back);
        String token = back.accessToken(DEMO_CLIENT, DEFAULT_API);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Answer a = call(s, Endpoint.PRIVATE, token);
        while (a.status() == 503 && System.nanoTime() < deadline) {
          Thread.sleep(250);
          a = call(s, Endpoint.PRIVATE, token);
        }
        assertVerified(a, token, "jwt");
      }
    }
  }

  // ================================================================== Protected resource metadata (RFC 9728)

  /** The metadata URL of a sample whose resource identifier is taken from the request. */
  protected static String metadataUrl(Started s) {
    return s.base() + "/.well-known/oauth-protected-resource";
  }

  @Nested
  @DisplayName("GET /.well-known/oauth-protected-resource: RFC 9728 metadata, no token, any origin")
  class ProtectedResourceMetadataEndpoint {
    @Test
    void answersTheDocumentWithoutAToken() {
      Answer a = ContractHttp.get(sample.base(), "/.well-known/oauth-protected-resource");
      assertThat(a.status()).as("%s", a).isEqualTo(200);
      assertThat(a.header("Content-Type")).get().asString().startsWith("application/json");
      assertThat(a.header("Access-Control-Allow-Origin")).hasValue("*");
      assertThat(a.header("Cache-Control")).get().asString().contains("max-age=");
      assertThat(a.header("WWW-Authenticate")).isEmpty();
      Map<String, Object> json = a.json();
      assertThat(json.get("resource")).isEqualTo(sample.base().toString()); // the URL the request arrived on, no path
      assertThat(strings(json.get("authorization_servers"))).containsExactly(issuer.issuer());
      assertThat(strings(json.get("scopes_supported"))).containsExactlyInAnyOrder(Endpoint.READ_MESSAGES, Endpoint.ADMIN_ALL);
      assertThat(strings(json.get("bearer_methods_supported"))).containsExactly("header");
      // DPoP is allowed by default: the document says which proof algorithms, and that bound tokens are not required
      assertThat(strings(json.get("dpop_signing_alg_values_supported"))).contains("ES256", "EdDSA", "RS256", "PS256");
      assertThat(json.get("dpop_bound_access_tokens_required")).isEqualTo(false);
    }

    @Test
    void dpopMembersFollowTheDpopVariable() {
      try (Started off = start(issuerEnv("TOKENWARD_DPOP", "off"));
           Started required = start(issuerEnv("TOKENWARD_DPOP", "required"))) {
        Map<String, Object> offJson = ContractHttp.get(off.base(), "/.well-known/oauth-protected-resource").json();
        assertThat(offJson).doesNotContainKeys("dpop_signing_alg_values_supported", "dpop_bound_access_tokens_required");
        Map<String, Object> requiredJson = ContractHttp.get(required.base(), "/.well-known/oauth-protected-resource").json();
        assertThat(requiredJson.get("dpop_bound_access_tokens_required")).isEqualTo(true);
      }
    }

    @Test
    void doesNotLookAtATokenSentAnyway() {
      Answer a = ContractHttp.get(sample.base(), "/.well-known/oauth-protected-resource",
          List.of("Authorization: Bearer " + ForgedTokens.unsigned(demoToken())));
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.json()).containsKey("resource");
    }

    @Test
    void everyChallengeNamesTheDocumentsUrl() {
      String url = metadataUrl(sample);
      assertThat(call(Endpoint.PRIVATE, null).challengeParameter("resource_metadata")).hasValue(url);
      assertThat(call(Endpoint.PRIVATE, "not-a-valid-token").challengeParameter("resource_metadata")).hasValue(url);
      Answer forbidden = call(Endpoint.ADMIN, demoToken());
      assertThat(forbidden.status()).isEqualTo(403);
      assertThat(forbidden.challengeParameter("resource_metadata")).hasValue(url);
      assertThat(call(Endpoint.STEP_UP, demoToken()).challengeParameter("resource_metadata")).hasValue(url);
    }

    @Test
    void theResourceVariableSetsTheIdentifierAndTheUrlInChallenges() {
      try (Started s = start(issuerEnv(RESOURCE, "https://api.example.test"))) {
        Answer a = ContractHttp.get(s.base(), "/.well-known/oauth-protected-resource");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("resource")).isEqualTo("https://api.example.test");
        assertThat(call(s, Endpoint.PRIVATE, null).challengeParameter("resource_metadata"))
            .hasValue("https://api.example.test/.well-known/oauth-protected-resource");
      }
    }

    @Test
    void aResourceWithAPathIsServedAtThePathSuffixedUrlAsRfc9728Section31Says() {
      try (Started s = start(issuerEnv(RESOURCE, "https://api.example.test/messages"))) {
        Answer a = ContractHttp.get(s.base(), "/.well-known/oauth-protected-resource/messages");
        assertThat(a.status()).as("%s", a).isEqualTo(200);
        assertThat(a.json().get("resource")).isEqualTo("https://api.example.test/messages");
        // RFC 9728 section 3.3: a document at the root URL would have to name https://api.example.test
        assertThat(ContractHttp.get(s.base(), "/.well-known/oauth-protected-resource").status()).isEqualTo(404);
        assertThat(call(s, Endpoint.ADMIN, demoToken()).challengeParameter("resource_metadata"))
            .hasValue("https://api.example.test/.well-known/oauth-protected-resource/messages");
      }
    }
  }

  // ================================================================== Step-up authentication (RFC 9470)

  @Nested
  @DisplayName("GET /api/step-up: acr among TOKENWARD_STEP_UP_ACR and auth_time within TOKENWARD_STEP_UP_MAX_AGE_SECONDS")
  class StepUpEndpoint {
    private final String mfa = SampleConfiguration.MFA_ACR;

    private String mfaToken() {
      return issuer.mfaUserAccessToken(DEMO_USER, DEMO_CLIENT, DEFAULT_API);
    }

    @Test
    void aUserWhoJustPassedMfaGets200() {
      String token = mfaToken();
      assertThat(ForgedTokens.claims(token)).containsEntry("acr", mfa).containsKey("auth_time");
      assertVerified(call(Endpoint.STEP_UP, token), token, "jwt");
    }

    @Test
    void aPasswordOnlyLoginGets401InsufficientUserAuthenticationWithAcrValuesAndMaxAge() {
      String token = issuer.userAccessToken(DEMO_USER, DEMO_CLIENT, DEFAULT_API);
      Answer a = call(Endpoint.STEP_UP, token);
      assertThat(assertRefused(a, 401, "insufficient_user_authentication", token)).contains("'acr'");
      assertThat(a.challengeParameter("acr_values")).hasValue(mfa);
      assertThat(a.challengeParameter("max_age")).hasValue("300");
      assertThat(a.challengeParameter("resource_metadata")).hasValue(metadataUrl(sample));
    }

    @Test
    void aTokenWithoutAuthTimeFailsTheAgeCheck() {
      String token = demoToken(); // client credentials: no user, no auth_time
      Answer a = call(Endpoint.STEP_UP, token);
      assertThat(assertRefused(a, 401, "insufficient_user_authentication", token)).contains("'auth_time'");
      assertThat(a.challengeParameter("max_age")).hasValue("300");
    }

    @Test
    void anAuthenticationOlderThanTheMaximumGets401WithMaxAge() {
      String token = clock.shifted(Duration.ofMinutes(-10), this::mfaToken);
      Answer a = call(Endpoint.STEP_UP, token);
      assertThat(assertRefused(a, 401, "insufficient_user_authentication", token)).contains("ago");
      assertThat(a.challengeParameter("max_age")).hasValue("300");
    }

    @Test
    void theVariablesSetTheAcrValuesAndTheMaximumAge() {
      String tenMinutesOld = clock.shifted(Duration.ofMinutes(-10), this::mfaToken);
      try (Started s = start(issuerEnv(STEP_UP_ACR, "urn:example:strong, " + mfa, STEP_UP_MAX_AGE_SECONDS, "900"))) {
        assertVerified(call(s, Endpoint.STEP_UP, tenMinutesOld), tenMinutesOld, "jwt");
        Answer a = call(s, Endpoint.STEP_UP, issuer.userAccessToken(DEMO_USER, DEMO_CLIENT, DEFAULT_API));
        assertRefused(a, 401, "insufficient_user_authentication", null);
        assertThat(a.challengeParameter("acr_values")).hasValue("urn:example:strong " + mfa);
        assertThat(a.challengeParameter("max_age")).hasValue("900");
      }
    }

    @Test
    void noTokenIsStill401WithoutErrorCode() {
      assertRefused(call(Endpoint.STEP_UP, null), 401, null, null);
    }
  }

  // ================================================================== Metrics

  @Nested
  @DisplayName("GET /metrics: Prometheus text format, tokenward's meters")
  class MetricsEndpoint {
    /** The value of the sample line of {@code name} whose labels include all of {@code labels}; 0 when there is none. */
    private double value(String scrape, String name, String... labels) {
      double found = 0;
      for (String line : scrape.split("\n")) {
        if (!line.startsWith(name + "{")) {
          continue;
        }
        String labelSet = line.substring(name.length(), line.lastIndexOf('}') + 1);
        if (Arrays.stream(labels).allMatch(labelSet::contains)) {
          found += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return found;
    }

    private String scrape() {
      Answer a = ContractHttp.get(sample.base(), "/metrics");
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.header("Content-Type")).get().asString().startsWith("text/plain");
      return a.body();
    }

    @Test
    void aRefusedTokenMovesTheRefusedCounterOfItsReason() {
      String otherAudience = issuer.accessToken(OTHER_CLIENT, OTHER_API);
      double before = value(scrape(), "tokenward_validations_total", "outcome=\"refused\"",
          "reason=\"WRONG_AUDIENCE\"");

      assertRefused(call(Endpoint.PRIVATE, otherAudience), 401, "invalid_token", otherAudience);

      String after = scrape();
      assertThat(value(after, "tokenward_validations_total", "outcome=\"refused\"", "reason=\"WRONG_AUDIENCE\""))
          .isEqualTo(before + 1);
      assertThat(after).doesNotContain(otherAudience).doesNotContain(OTHER_CLIENT);
    }

    @Test
    void anAcceptedTokenIsCountedTimedAndTheKeyFetchShows() {
      String token = demoToken();
      double before = value(scrape(), "tokenward_validations_total", "outcome=\"accepted\"", "reason=\"none\"");

      assertVerified(call(Endpoint.PRIVATE, token), token, "jwt");

      String after = scrape();
      assertThat(value(after, "tokenward_validations_total", "outcome=\"accepted\"", "reason=\"none\""))
          .isEqualTo(before + 1);
      assertThat(value(after, "tokenward_validation_seconds_count", "outcome=\"accepted\"")).isPositive();
      assertThat(value(after, "tokenward_jwks_fetches_total", "outcome=\"success\"")).isPositive();
      assertThat(after).contains("tokenward_token_cache_gets_total{result=\"hit\"}",
          "tokenward_token_cache_gets_total{result=\"miss\"}");
      assertThat(after).doesNotContain(token).doesNotContain(DEMO_CLIENT + "@clients");
    }

    @Test
    void needsNoToken() {
      assertThat(ContractHttp.get(sample.base(), "/metrics").status()).isEqualTo(200);
    }
  }

  // ================================================================== Sender-constrained tokens (RFC 9449, RFC 8705)

  @Nested
  @DisplayName("Sender-constrained tokens: DPoP (RFC 9449) and mTLS-bound tokens (RFC 8705)")
  class SenderConstrainedTokens {
    private final DpopKey key = DpopKey.es256();

    private String boundToken() {
      return issuer.dpopAccessToken(key, DEMO_CLIENT, DEFAULT_API); // read:messages, cnf.jkt of key
    }

    private Answer dpop(Started s, Endpoint endpoint, String token) {
      return DpopCalls.get(s.base(), endpoint.path(), token, DpopCalls.proof(key, s.base(), endpoint.path(), token));
    }

    /**
     * A refusal carrying the contract's {@code DPoP} challenge: realm, the accepted {@code algs}, the
     * error and description of the body, {@code resource_metadata}; JSON body, {@code no-store}.
     *
     * @return the DPoP challenge
     */
    private String assertDpopRefused(Answer a, int status, String error) {
      assertThat(a.status()).as("%s", a).isEqualTo(status);
      assertThat(a.header("Content-Type")).get().asString().startsWith("application/json");
      assertThat(a.header("Cache-Control")).hasValue("no-store");
      String challenge = DpopCalls.challenge(a, "DPoP").orElseThrow(() -> new AssertionError("no DPoP challenge: " + a));
      assertThat(challenge).startsWith("DPoP realm=\"tokenward\"");
      assertThat(DpopCalls.parameter(challenge, "algs")).get().asString().isNotBlank();
      assertThat(DpopCalls.parameter(challenge, "error")).hasValue(error);
      assertThat(a.json()).containsEntry("error", error);
      assertThat(DpopCalls.parameter(challenge, "error_description")).hasValue((String) a.json().get("error_description"));
      assertThat(DpopCalls.parameter(challenge, "resource_metadata")).get().asString()
          .matches("https?://[^/\"]+/\\.well-known/oauth-protected-resource(/[^\"]*)?");
      return challenge;
    }

    @Test
    void allowedAcceptsABoundTokenWithAProofOfItsKey() {
      String token = boundToken();
      assertVerified(dpop(sample, Endpoint.PRIVATE_SCOPED, token), token, "jwt");
    }

    @Test
    void allowedStillAcceptsAnUnboundTokenUnderBearer() {
      String token = demoToken();
      assertVerified(call(Endpoint.PRIVATE, token), token, "jwt");
    }

    /** 401 {@code invalid_token} in the body and in a challenge of either scheme (the contract names no scheme). */
    private void assertInvalidTokenInSomeChallenge(Answer a) {
      assertThat(a.status()).as("%s", a).isEqualTo(401);
      assertThat(a.json()).containsEntry("error", "invalid_token");
      assertThat(DpopCalls.challenges(a)).as("%s", a).anySatisfy(c -> {
        assertThat(c).matches("(Bearer|DPoP) realm=\"tokenward\".*");
        assertThat(DpopCalls.parameter(c, "error")).hasValue("invalid_token");
      });
    }

    @Test
    void aBoundTokenUnderBearerIs401InvalidTokenInAnyMode() {
      String token = boundToken();
      assertInvalidTokenInSomeChallenge(call(Endpoint.PRIVATE, token));
      try (Started off = start(issuerEnv(DPOP, "off")); Started required = start(issuerEnv(DPOP, "required"))) {
        assertRefused(call(off, Endpoint.PRIVATE, token), 401, "invalid_token", token); // off: Bearer only
        assertInvalidTokenInSomeChallenge(call(required, Endpoint.PRIVATE, token));
      }
    }

    @Test
    void theDpopSchemeWithAnUnboundTokenIs401InvalidToken() {
      String token = demoToken();
      assertDpopRefused(dpop(sample, Endpoint.PRIVATE, token), 401, "invalid_token");
    }

    @Test
    void aMissingProofIs401InvalidDpopProof() {
      assertDpopRefused(DpopCalls.get(sample.base(), Endpoint.PRIVATE.path(), boundToken()), 401, "invalid_dpop_proof");
    }

    @Test
    void twoProofsAre401InvalidDpopProof() {
      String token = boundToken();
      String path = Endpoint.PRIVATE.path();
      Answer a = DpopCalls.get(sample.base(), path, token, DpopCalls.proof(key, sample.base(), path, token),
          DpopCalls.proof(key, sample.base(), path, token));
      assertDpopRefused(a, 401, "invalid_dpop_proof");
    }

    static Stream<Arguments> brokenProofs() {
      return Stream.of(
          Arguments.of("typ JWT", (Broken) (k, url, t) -> k.proof().url(url).accessToken(t).type("JWT").sign()),
          Arguments.of("alg none", (Broken) (k, url, t) -> k.proof().url(url).accessToken(t).unsigned("c2ln")),
          Arguments.of("private key in jwk", (Broken) (k, url, t) -> k.proof().url(url).accessToken(t).privateKeyInHeader().sign()),
          Arguments.of("bad signature", (Broken) (k, url, t) -> k.proof().url(url).accessToken(t).wronglySigned().sign()),
          Arguments.of("htm POST", (Broken) (k, url, t) -> k.proof().method("POST").url(url).accessToken(t).sign()),
          Arguments.of("htu of another path", (Broken) (k, url, t) -> k.proof().url(url + "-other").accessToken(t).sign()),
          Arguments.of("iat 10 minutes old", (Broken) (k, url, t) -> k.proof().url(url).accessToken(t)
              .age(Duration.ofMinutes(10)).sign()),
          Arguments.of("iat 10 minutes ahead", (Broken) (k, url, t) -> k.proof().url(url).accessToken(t)
              .age(Duration.ofMinutes(-10)).sign()),
          Arguments.of("ath of another token", (Broken) (k, url, t) -> k.proof().url(url).accessToken(t + "x").sign()),
          Arguments.of("no ath", (Broken) (k, url, t) -> k.proof().url(url).sign()));
    }

    /** Makes a broken proof by {@code key} for a GET of {@code url} with {@code token}. */
    interface Broken {
      String proof(DpopKey key, String url, String token);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenProofs")
    void aProofFailingAnyCheckIs401InvalidDpopProof(String name, Broken broken) {
      String token = boundToken();
      String path = Endpoint.PRIVATE.path();
      assertDpopRefused(DpopCalls.get(sample.base(), path, token, broken.proof(key, sample.base() + path, token)),
          401, "invalid_dpop_proof");
    }

    @Test
    void aReplayedProofIs401InvalidDpopProof() {
      String token = boundToken();
      String proof = DpopCalls.proof(key, sample.base(), Endpoint.PRIVATE.path(), token);
      assertThat(DpopCalls.get(sample.base(), Endpoint.PRIVATE.path(), token, proof).status()).isEqualTo(200);
      assertDpopRefused(DpopCalls.get(sample.base(), Endpoint.PRIVATE.path(), token, proof), 401, "invalid_dpop_proof");
    }

    @Test
    void aProofByAnotherKeyThanCnfJktIs401InvalidToken() {
      String token = boundToken();
      String path = Endpoint.PRIVATE.path();
      Answer a = DpopCalls.get(sample.base(), path, token, DpopCalls.proof(DpopKey.es256(), sample.base(), path, token));
      assertDpopRefused(a, 401, "invalid_token");
    }

    @Test
    void aValidDpopRequestWithoutTheScopeIs403WithADpopChallenge() {
      String challenge = assertDpopRefused(dpop(sample, Endpoint.ADMIN, boundToken()), 403, "insufficient_scope");
      assertThat(DpopCalls.parameter(challenge, "scope")).hasValue(Endpoint.ADMIN_ALL);
    }

    @Test
    void noCredentialsUnderAllowedGetsABearerAndADpopChallenge() {
      Answer a = call(Endpoint.PRIVATE, null);
      assertRefused(a, 401, null, null);
      assertThat(DpopCalls.challenge(a, "Bearer")).isPresent();
      String dpop = DpopCalls.challenge(a, "DPoP").orElseThrow(() -> new AssertionError("no DPoP challenge: " + a));
      assertThat(dpop).startsWith("DPoP realm=\"tokenward\"");
      assertThat(DpopCalls.parameter(dpop, "algs")).get().asString().contains("ES256", "EdDSA", "RS256", "PS256");
      assertThat(DpopCalls.parameter(dpop, "error")).isEmpty();
    }

    @Test
    void requiredRefusesBearerWithADpopChallengeAndAcceptsDpop() {
      try (Started required = start(issuerEnv(DPOP, "required"))) {
        String unbound = demoToken();
        assertDpopRefused(call(required, Endpoint.PRIVATE, unbound), 401, "invalid_token");
        Answer none = call(required, Endpoint.PRIVATE, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(DpopCalls.challenge(none, "DPoP")).isPresent();
        String token = boundToken();
        assertVerified(dpop(required, Endpoint.PRIVATE, token), token, "jwt");
      }
    }

    @Test
    void offTreatsTheDpopSchemeAsUnknownAndOffersNoDpopChallenge() {
      try (Started off = start(issuerEnv(DPOP, "off"))) {
        Answer a = dpop(off, Endpoint.PRIVATE, boundToken());
        assertRefused(a, 401, null, null);
        assertThat(DpopCalls.challenge(a, "DPoP")).isEmpty();
        assertThat(DpopCalls.challenge(call(off, Endpoint.PRIVATE, null), "DPoP")).isEmpty();
        String unbound = demoToken();
        assertVerified(call(off, Endpoint.PRIVATE, unbound), unbound, "jwt");
      }
    }

    @Test
    void nonceTrueAsksForANonceWithDpopNonceThenAcceptsTheProofCarryingIt() {
      try (Started nonced = start(issuerEnv(DPOP_NONCE, "true"))) {
        String token = boundToken();
        String path = Endpoint.PRIVATE.path();
        Answer first = dpop(nonced, Endpoint.PRIVATE, token);
        assertDpopRefused(first, 401, "use_dpop_nonce");
        String nonce = first.header("DPoP-Nonce").orElseThrow(() -> new AssertionError("no DPoP-Nonce: " + first));

        String withNonce = key.proof().url(nonced.base() + path).accessToken(token).nonce(nonce).sign();
        assertVerified(DpopCalls.get(nonced.base(), path, token, withNonce), token, "jwt");

        String stale = key.proof().url(nonced.base() + path).accessToken(token).nonce("not-a-nonce-we-issued").sign();
        Answer refused = DpopCalls.get(nonced.base(), path, token, stale);
        assertDpopRefused(refused, 401, "use_dpop_nonce");
        assertThat(refused.header("DPoP-Nonce")).isPresent();
      }
    }

    @Test
    void algorithmsVariableLimitsTheProofAlgorithmsTheChallengeAndTheMetadata() {
      try (Started es256 = start(issuerEnv(DPOP_ALGORITHMS, "ES256"))) {
        DpopKey ed = DpopKey.ed25519();
        String edToken = issuer.dpopAccessToken(ed, DEMO_CLIENT, DEFAULT_API);
        String path = Endpoint.PRIVATE.path();
        String challenge = assertDpopRefused(DpopCalls.get(es256.base(), path, edToken,
            DpopCalls.proof(ed, es256.base(), path, edToken)), 401, "invalid_dpop_proof");
        assertThat(DpopCalls.parameter(challenge, "algs")).hasValue("ES256");
        String token = boundToken();
        assertVerified(dpop(es256, Endpoint.PRIVATE, token), token, "jwt");
        assertThat(strings(ContractHttp.get(es256.base(), "/.well-known/oauth-protected-resource").json()
            .get("dpop_signing_alg_values_supported"))).containsExactly("ES256");
      }
      try (Started eddsa = start(issuerEnv(DPOP_ALGORITHMS, "EdDSA"))) {
        DpopKey ed = DpopKey.ed25519();
        String token = issuer.dpopAccessToken(ed, DEMO_CLIENT, DEFAULT_API);
        String path = Endpoint.PRIVATE.path();
        for (String alg : List.of("EdDSA", "Ed25519")) { // RFC 9864's fully-specified name is admitted with EdDSA
          String proof = ed.proof().algorithm(alg).url(eddsa.base() + path).accessToken(token).sign();
          assertVerified(DpopCalls.get(eddsa.base(), path, token, proof), token, "jwt");
        }
      }
    }

    @Test
    void maxAgeVariableSetsHowOldAProofMayBe() {
      try (Started s = start(issuerEnv(DPOP_MAX_AGE_SECONDS, "60"))) {
        String token = boundToken();
        String url = s.base() + Endpoint.PRIVATE.path();
        assertVerified(DpopCalls.get(s.base(), Endpoint.PRIVATE.path(), token,
            key.proof().url(url).accessToken(token).age(Duration.ofSeconds(20)).sign()), token, "jwt");
        assertDpopRefused(DpopCalls.get(s.base(), Endpoint.PRIVATE.path(), token,
            key.proof().url(url).accessToken(token).age(Duration.ofSeconds(120)).sign()), 401, "invalid_dpop_proof");
        // the future is bounded by TOKENWARD_CLOCK_SKEW_SECONDS (60 by default)
        assertDpopRefused(DpopCalls.get(s.base(), Endpoint.PRIVATE.path(), token,
            key.proof().url(url).accessToken(token).age(Duration.ofSeconds(-120)).sign()), 401, "invalid_dpop_proof");
      }
    }

    @Test
    void baseUrlVariableIsTheOriginHtuMustName() {
      try (Started s = start(issuerEnv(BASE_URL, "https://api.example.test"))) {
        String token = boundToken();
        String path = Endpoint.PRIVATE.path();
        assertVerified(DpopCalls.get(s.base(), path, token,
            key.proof().url("https://api.example.test" + path).accessToken(token).sign()), token, "jwt");
        assertDpopRefused(DpopCalls.get(s.base(), path, token, DpopCalls.proof(key, s.base(), path, token)),
            401, "invalid_dpop_proof");
      }
    }

    @Test
    void anMtlsBoundTokenOverPlainHttpIs401InvalidToken() {
      String token = issuer.jwt().boundToCertificate("bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2")
          .scopes(Endpoint.READ_MESSAGES).sign();
      assertInvalidTokenInSomeChallenge(call(Endpoint.PRIVATE, token));
    }

    @Test
    void theIssuerBindsATokenRequestedWithAProofAndTheSampleAcceptsIt() throws Exception {
      String tokenProof = key.proof().method("POST").url(issuer.tokenEndpoint()).sign();
      java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(URI.create(issuer.tokenEndpoint()))
              .header("Content-Type", "application/x-www-form-urlencoded").header("DPoP", tokenProof)
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                  + DEMO_CLIENT + "&client_secret=" + DEMO_SECRET + "&audience=" + DEFAULT_API)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      Map<String, Object> json = new Answer(r.statusCode(), Map.of(), r.body()).json();
      assertThat(json.get("token_type")).isEqualTo("DPoP");
      String token = (String) json.get("access_token");
      assertThat(ForgedTokens.claims(token).get("cnf")).isEqualTo(Map.of("jkt", key.thumbprint()));
      assertVerified(dpop(sample, Endpoint.PRIVATE_SCOPED, token), token, "jwt");
    }

    static Stream<Arguments> badVariables() {
      return Stream.of(
          Arguments.of(DPOP, env(DPOP, "sometimes")),
          Arguments.of(DPOP_NONCE, env(DPOP_NONCE, "yes")),
          Arguments.of(DPOP_ALGORITHMS, env(DPOP_ALGORITHMS, "ES256,HS256")),
          Arguments.of(DPOP_ALGORITHMS, env(DPOP_ALGORITHMS, "none")),
          Arguments.of(DPOP_MAX_AGE_SECONDS, env(DPOP_MAX_AGE_SECONDS, "0")),
          Arguments.of(BASE_URL, env(BASE_URL, "api.example.test")));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("badVariables")
    void aBadDpopVariableStopsTheStartNamingIt(String variable, Map<String, String> env) {
      Launched l = launch(env);
      assertThat(l.outcome().exitCode()).isEqualTo(SampleLauncher.EXIT_CONFIGURATION_ERROR);
      assertThat(l.err()).startsWith(variable + ": ").hasLineCount(1);
    }
  }
}
