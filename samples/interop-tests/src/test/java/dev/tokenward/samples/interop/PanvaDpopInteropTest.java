package dev.tokenward.samples.interop;

import static dev.tokenward.samples.support.SampleConfiguration.DPOP_NONCE;
import static dev.tokenward.samples.support.SampleConfiguration.PORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenward.samples.jaxrs.JaxrsSample;
import dev.tokenward.samples.servlet.ServletSample;
import dev.tokenward.samples.support.Answer;
import dev.tokenward.samples.support.DpopCalls;
import dev.tokenward.samples.support.Endpoint;
import dev.tokenward.samples.support.RunningSample;
import dev.tokenward.samples.support.SampleLauncher;
import dev.tokenward.samples.support.SampleServer;
import dev.tokenward.test.TestIssuer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interop with a DPoP client tokenward did not write: panva's {@code dpop} npm package (2.x), run
 * by node from {@code src/test/node/dpop-client.mjs}. Its proofs (ES256, RS256, PS256, and Ed25519,
 * which it signs as {@code alg: Ed25519}, RFC 9864) get bound tokens from the samples' dev issuer
 * and are accepted by both running samples over HTTP; made to break each RFC 9449 section 4.3
 * check, it gets the contract's answer.
 *
 * <p>Node 20+ and the package ({@code npm ci} in {@code src/test/node}; {@code .ci/run} does it) are
 * required: without them this test fails, naming what is missing, rather than being skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PanvaDpopInteropTest {
  private static final Path NODE_DIR = Path.of("src", "test", "node");
  private static final String INSTALL = "run `npm ci` in samples/interop-tests/src/test/node (.ci/run does it)";

  private PanvaClient panva;
  private final Map<String, RunningSample> samples = new LinkedHashMap<>();
  private final Map<String, RunningSample> noncedSamples = new LinkedHashMap<>();
  private final AtomicInteger keys = new AtomicInteger();

  @BeforeAll
  void start() throws Exception {
    panva = PanvaClient.start();
    samples.put("servlet", launch(ServletSample.NAME, ServletSample::server, Map.of()));
    samples.put("jaxrs", launch(JaxrsSample.NAME, JaxrsSample::server, Map.of()));
    noncedSamples.put("servlet", launch(ServletSample.NAME, ServletSample::server, Map.of(DPOP_NONCE, "true")));
    noncedSamples.put("jaxrs", launch(JaxrsSample.NAME, JaxrsSample::server, Map.of(DPOP_NONCE, "true")));
  }

  @AfterAll
  void stop() {
    Stream.concat(samples.values().stream(), noncedSamples.values().stream()).forEach(RunningSample::close);
    if (panva != null) {
      panva.close();
    }
  }

  private static RunningSample launch(String name, SampleServer.Factory factory, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put(PORT, "0"); // TOKENWARD_ISSUER unset: the embedded dev issuer, as a user tries the sample
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    SampleLauncher.Outcome outcome = SampleLauncher.launch(name, env, new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), factory);
    assertThat(outcome.exitCode()).as("%s: %s", name, err.toString(StandardCharsets.UTF_8)).isZero();
    return outcome.sample();
  }

  // ------------------------------------------------------------------ the client's side

  /** A panva key pair kept in the node process, and its thumbprint as panva computes it. */
  private record PanvaKey(String name, String jkt) {}

  private PanvaKey newKey(String alg) {
    String name = "k" + keys.incrementAndGet();
    Map<String, Object> answer = panva.call(Map.of("op", "key", "name", name, "alg", alg));
    return new PanvaKey(name, (String) answer.get("jkt"));
  }

  /** panva's {@code generateProof(keypair, htu, htm, nonce, accessToken)}, its clock {@code ageSeconds} behind. */
  private String proof(PanvaKey key, String htm, String htu, String token, String nonce, int ageSeconds) {
    Map<String, Object> request = new HashMap<>(Map.of("op", "proof", "key", key.name(), "htm", htm, "htu", htu,
        "ageSeconds", ageSeconds));
    if (token != null) {
      request.put("token", token);
    }
    if (nonce != null) {
      request.put("nonce", nonce);
    }
    return (String) panva.call(request).get("proof");
  }

  /** A token from the sample's dev issuer, requested with a panva proof: bound to that key, as Auth0 binds it. */
  private String boundToken(RunningSample sample, PanvaKey key) throws Exception {
    TestIssuer dev = sample.devIssuer().orElseThrow();
    String form = "grant_type=client_credentials&client_id=" + TestIssuer.DEMO_CLIENT + "&client_secret="
        + TestIssuer.DEMO_SECRET + "&audience=" + URLEncoder.encode(TestIssuer.DEFAULT_API, StandardCharsets.UTF_8);
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(dev.tokenEndpoint()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("DPoP", proof(key, "POST", dev.tokenEndpoint(), null, null, 0))
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Map<String, Object> json = JSONObjectUtils.parse(r.body());
    assertThat(json.get("token_type")).isEqualTo("DPoP");
    String token = (String) json.get("access_token");
    Map<String, Object> claims = JSONObjectUtils.parse(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
        StandardCharsets.UTF_8));
    assertThat(claims.get("cnf")).as("cnf.jkt is the thumbprint panva computes").isEqualTo(Map.of("jkt", key.jkt()));
    return token;
  }

  private static String url(RunningSample sample) {
    return sample.baseUri() + Endpoint.PRIVATE.path();
  }

  private static Answer call(RunningSample sample, String token, String... proofs) {
    return DpopCalls.get(sample.baseUri(), Endpoint.PRIVATE.path(), token, proofs);
  }

  /** The contract's answer: status, and the {@code DPoP} challenge's {@code error} matching the body's. */
  private static void assertDpopRefused(Answer a, int status, String error) {
    assertThat(a.status()).as("%s", a).isEqualTo(status);
    assertThat(a.json()).containsEntry("error", error);
    String challenge = DpopCalls.challenge(a, "DPoP").orElseThrow(() -> new AssertionError("no DPoP challenge: " + a));
    assertThat(DpopCalls.parameter(challenge, "error")).hasValue(error);
  }

  // ------------------------------------------------------------------ tests

  static Stream<Arguments> samplesAndAlgorithms() {
    return Stream.of("servlet", "jaxrs").flatMap(s -> Stream.of("ES256", "Ed25519", "RS256", "PS256")
        .map(alg -> Arguments.of(s, alg)));
  }

  @ParameterizedTest(name = "{0} sample, {1}")
  @MethodSource("samplesAndAlgorithms")
  void panvaProofsGetABoundTokenFromTheDevIssuerAndAreAcceptedBySample(String sampleName, String alg) throws Exception {
    RunningSample sample = samples.get(sampleName);
    PanvaKey key = newKey(alg);
    String token = boundToken(sample, key);

    String proof = proof(key, "GET", url(sample), token, null, 0);
    assertThat(header(proof).get("alg")).isEqualTo(alg); // Ed25519: the fully-specified name, RFC 9864

    Answer a = call(sample, token, proof);
    assertThat(a.status()).as("%s", a).isEqualTo(200);
    assertThat(a.json().get("sub")).isEqualTo(TestIssuer.DEMO_CLIENT + "@clients");
  }

  static Stream<String> sampleNames() {
    return Stream.of("servlet", "jaxrs");
  }

  @ParameterizedTest(name = "{0} sample")
  @MethodSource("sampleNames")
  void wrongHtmIsInvalidDpopProof(String sampleName) throws Exception {
    RunningSample sample = samples.get(sampleName);
    PanvaKey key = newKey("ES256");
    String token = boundToken(sample, key);
    assertDpopRefused(call(sample, token, proof(key, "POST", url(sample), token, null, 0)), 401, "invalid_dpop_proof");
  }

  @ParameterizedTest(name = "{0} sample")
  @MethodSource("sampleNames")
  void wrongHtuIsInvalidDpopProof(String sampleName) throws Exception {
    RunningSample sample = samples.get(sampleName);
    PanvaKey key = newKey("ES256");
    String token = boundToken(sample, key);
    String other = sample.baseUri() + Endpoint.ADMIN.path();
    assertDpopRefused(call(sample, token, proof(key, "GET", other, token, null, 0)), 401, "invalid_dpop_proof");
  }

  @ParameterizedTest(name = "{0} sample")
  @MethodSource("sampleNames")
  void oldIatIsInvalidDpopProof(String sampleName) throws Exception {
    RunningSample sample = samples.get(sampleName);
    PanvaKey key = newKey("ES256");
    String token = boundToken(sample, key);
    String old = proof(key, "GET", url(sample), token, null, 600); // the default maximum age is 300 s
    assertDpopRefused(call(sample, token, old), 401, "invalid_dpop_proof");
  }

  @ParameterizedTest(name = "{0} sample")
  @MethodSource("sampleNames")
  void replayedJtiIsInvalidDpopProof(String sampleName) throws Exception {
    RunningSample sample = samples.get(sampleName);
    PanvaKey key = newKey("Ed25519");
    String token = boundToken(sample, key);
    String proof = proof(key, "GET", url(sample), token, null, 0);
    assertThat(call(sample, token, proof).status()).isEqualTo(200);
    assertDpopRefused(call(sample, token, proof), 401, "invalid_dpop_proof");
  }

  @ParameterizedTest(name = "{0} sample")
  @MethodSource("sampleNames")
  void wrongOrMissingAthIsInvalidDpopProof(String sampleName) throws Exception {
    RunningSample sample = samples.get(sampleName);
    PanvaKey key = newKey("ES256");
    String token = boundToken(sample, key);
    // another key's token (the same key within the same second would get the very same token, hence the same ath)
    String otherToken = boundToken(sample, newKey("ES256"));
    assertThat(otherToken).isNotEqualTo(token);
    assertDpopRefused(call(sample, token, proof(key, "GET", url(sample), otherToken, null, 0)), 401,
        "invalid_dpop_proof");
    assertDpopRefused(call(sample, token, proof(key, "GET", url(sample), null, null, 0)), 401, "invalid_dpop_proof");
  }

  @ParameterizedTest(name = "{0} sample")
  @MethodSource("sampleNames")
  void aProofByAnotherKeyThanCnfJktIsInvalidToken(String sampleName) throws Exception {
    RunningSample sample = samples.get(sampleName);
    PanvaKey key = newKey("ES256");
    String token = boundToken(sample, key);
    PanvaKey other = newKey("ES256");
    assertDpopRefused(call(sample, token, proof(other, "GET", url(sample), token, null, 0)), 401, "invalid_token");
  }

  @ParameterizedTest(name = "{0} sample")
  @MethodSource("sampleNames")
  void aMissingNonceIsUseDpopNonceAndPanvasProofWithTheServersNonceIsAccepted(String sampleName) throws Exception {
    RunningSample sample = noncedSamples.get(sampleName);
    PanvaKey key = newKey("ES256");
    String token = boundToken(sample, key);

    Answer first = call(sample, token, proof(key, "GET", url(sample), token, null, 0));
    assertDpopRefused(first, 401, "use_dpop_nonce");
    String nonce = first.header("DPoP-Nonce").orElseThrow(() -> new AssertionError("no DPoP-Nonce: " + first));

    Answer second = call(sample, token, proof(key, "GET", url(sample), token, nonce, 0));
    assertThat(second.status()).as("%s", second).isEqualTo(200);

    Answer stale = call(sample, token, proof(key, "GET", url(sample), token, nonce + "x", 0));
    assertDpopRefused(stale, 401, "use_dpop_nonce");
  }

  @Test
  void theBoundTokenUnderBearerIsRefused() throws Exception {
    RunningSample sample = samples.get("servlet");
    String token = boundToken(sample, newKey("ES256"));
    Answer a = dev.tokenward.samples.support.ContractHttp.getWithToken(sample.baseUri(), Endpoint.PRIVATE.path(), token);
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.json()).containsEntry("error", "invalid_token");
  }

  private static Map<String, Object> header(String jws) throws ParseException {
    return JSONObjectUtils.parse(new String(Base64.getUrlDecoder().decode(jws.split("\\.")[0]), StandardCharsets.UTF_8));
  }

  // ------------------------------------------------------------------ the node process

  /** {@code node dpop-client.mjs}, one JSON line per request and per answer. */
  private static final class PanvaClient implements AutoCloseable {
    private final Process process;
    private final Writer in;
    private final BufferedReader out;
    private final CompletableFuture<String> errors;

    private PanvaClient(Process process) {
      this.process = process;
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.errors = CompletableFuture.supplyAsync(() -> {
        try {
          return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          return e.toString();
        }
      });
    }

    static PanvaClient start() throws Exception {
      Path node = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
          .map(dir -> Path.of(dir, "node")).filter(Files::isExecutable).findFirst()
          .orElseThrow(() -> new AssertionError("node is not on the PATH: the panva dpop interop test needs Node.js 20+"));
      Process version = new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
      assertThat(version.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String v = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!v.matches("v(\\d+)\\..*") || Integer.parseInt(v.substring(1, v.indexOf('.'))) < 20) {
        fail("the panva dpop interop test needs Node.js 20+, found " + v + " at " + node);
      }
      Path pkg = NODE_DIR.resolve("node_modules").resolve("dpop").resolve("package.json");
      if (!Files.isRegularFile(pkg)) {
        fail("panva's dpop package is not installed (" + pkg.toAbsolutePath() + " is missing): " + INSTALL);
      }
      Map<String, Object> manifest = JSONObjectUtils.parse(Files.readString(pkg));
      assertThat((String) manifest.get("version")).as("panva dpop version; " + INSTALL).startsWith("2.");
      Process p = new ProcessBuilder(node.toString(), "dpop-client.mjs").directory(NODE_DIR.toFile()).start();
      PanvaClient client = new PanvaClient(p);
      client.call(Map.of("op", "version")); // the script loads and answers
      return client;
    }

    synchronized Map<String, Object> call(Map<String, Object> request) {
      try {
        in.write(JSONObjectUtils.toJSONString(request) + "\n");
        in.flush();
        String line = CompletableFuture.supplyAsync(() -> {
          try {
            return out.readLine();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }).get(60, TimeUnit.SECONDS);
        if (line == null) {
          throw new AssertionError("the panva dpop client (node) exited: " + errors.getNow("") + "; " + INSTALL);
        }
        Map<String, Object> answer = JSONObjectUtils.parse(line);
        if (answer.containsKey("error")) {
          throw new AssertionError("the panva dpop client failed " + request.get("op") + ": " + answer.get("error"));
        }
        return answer;
      } catch (Exception e) {
        if (e instanceof RuntimeException r) {
          throw r;
        }
        throw new AssertionError("the panva dpop client did not answer " + request.get("op") + ": " + e, e);
      }
    }

    @Override
    public void close() {
      try {
        in.close();
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (IOException | InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        process.destroyForcibly();
      }
    }
  }
}
