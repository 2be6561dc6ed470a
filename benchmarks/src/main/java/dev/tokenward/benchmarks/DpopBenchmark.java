package dev.tokenward.benchmarks;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.TokenRequest;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a DPoP request (RFC 9449) costs beside a bearer request, in one run, with the bare ES256 verify as the
 * floor the proof adds: target {@code dpop <= bearer + es256_verify + 10 %}.
 *
 * <ul>
 *   <li>{@code dpop}: {@code validate(TokenRequest)} of {@code Authorization: DPoP <token>} with a fresh ES256
 *       proof: the RS256 token (cnf.jkt), every proof check of RFC 9449 section 4.3 (JWK parse, signature,
 *       htm, htu, iat, ath, thumbprint against cnf.jkt) and the first-use record in the default in-memory
 *       replay store;</li>
 *   <li>{@code bearer}: the same entry point with {@code Authorization: Bearer <token>}, tokens of the same
 *       shape without cnf: the same token path without the proof;</li>
 *   <li>{@code es256_verify}: one bare {@code Signature.verify} (SHA256withECDSA, JOSE signature converted to
 *       DER beforehand) of a proof's signing input with a pre-resolved key: the floor of what a proof adds.</li>
 * </ul>
 * Every token is verified in full (token cache off), and each call takes the next of 1024 distinct tokens, as a
 * never-seen token would be. Proofs must be new every time (a jti seen before is a replay), so 16384 distinct
 * proofs are signed before the run, the validator's clock is fixed at their signing time, and each iteration
 * starts with a new validator (an empty replay store): an iteration that needs more proofs than that fails rather
 * than measure refusals. Each invocation is a batch of {@value #BATCH} calls, around which the thread's CPU time is
 * taken: {@code cpuNanos / calls} is the CPU time per call, which a loaded machine disturbs far less than the wall
 * clock (a thread waiting for a core uses none). Self-contained (static keys, no issuer process); run it alone with
 * {@code java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main DpopBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Threads(1)
public class DpopBenchmark {
  static final String ISSUER = "https://tenant.example/";
  static final String AUDIENCE = "https://api.tokenward.dev";
  static final String URL = "https://api.tokenward.dev/api/private";
  static final int TOKENS = 1024;
  static final int PROOFS = 16384;
  static final int BATCH = 32;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private String[] dpopAuthorization;
  private String[] bearerAuthorization;
  private String[] proofs;
  private byte[][] proofInput;
  private byte[][] proofSignature;
  private PublicKey clientKey;
  private Signature es256;
  private JWKSet keys;
  private Clock clock;
  private AccessTokenValidator validator;
  private int next;

  @Setup(Level.Trial)
  public void mint() throws Exception {
    RSAKey issuerKey = new RSAKeyGenerator(2048).keyID("rsa-k1").generate();
    ECKey client = new ECKeyGenerator(Curve.P_256).generate();
    keys = new JWKSet(issuerKey.toPublicJWK());
    clientKey = client.toECPublicKey();
    Instant now = Instant.now();
    clock = Clock.fixed(now, ZoneOffset.UTC);
    String jkt = client.computeThumbprint().toString();
    String[] bound = new String[TOKENS];
    dpopAuthorization = new String[TOKENS];
    bearerAuthorization = new String[TOKENS];
    RSASSASigner rsa = new RSASSASigner(issuerKey);
    for (int i = 0; i < TOKENS; i++) {
      bound[i] = token(rsa, now, i, Map.of("jkt", jkt));
      dpopAuthorization[i] = "DPoP " + bound[i];
      bearerAuthorization[i] = "Bearer " + token(rsa, now, i, null);
    }
    ECDSASigner ec = new ECDSASigner(client);
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
        .jwk(client.toPublicJWK()).build();
    proofs = new String[PROOFS];
    proofInput = new byte[PROOFS][];
    proofSignature = new byte[PROOFS][];
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < PROOFS; i++) {
      String ath = Base64URL.encode(sha256.digest(bound[i % TOKENS].getBytes(StandardCharsets.US_ASCII))).toString();
      SignedJWT proof = new SignedJWT(header, new JWTClaimsSet.Builder().jwtID("p-" + i + "-" + now.toEpochMilli())
          .claim("htm", "GET").claim("htu", URL).issueTime(Date.from(now)).claim("ath", ath).build());
      proof.sign(ec);
      proofs[i] = proof.serialize();
      int dot = proofs[i].lastIndexOf('.');
      proofInput[i] = proofs[i].substring(0, dot).getBytes(StandardCharsets.US_ASCII);
      proofSignature[i] = Floor.joseToDer(Base64.getUrlDecoder().decode(proofs[i].substring(dot + 1)));
    }
    es256 = Signature.getInstance("SHA256withECDSA");
  }

  private static String token(RSASSASigner signer, Instant now, int i, Map<String, Object> cnf) throws Exception {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject("client-" + i + "@clients")
        .audience(List.of(AUDIENCE, ISSUER + "userinfo")).claim("azp", "client-" + i)
        .claim("scope", "read:messages write:messages").claim("permissions", List.of("read:messages"))
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(86_400)));
    if (cnf != null) {
      claims.claim("cnf", cnf);
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-k1")
        .type(new JOSEObjectType("at+jwt")).build(), claims.build());
    jwt.sign(signer);
    return jwt.serialize();
  }

  /** A new validator, so a new empty replay store, for every iteration; the proofs start over. */
  @Setup(Level.Iteration)
  public void newValidator() {
    validator = AccessTokenValidator.builder().issuer(ISSUER).audience(AUDIENCE).algorithms("RS256").keys(keys)
        .disableTokenCache().clock(clock).build();
    next = 0;
  }

  @TearDown(Level.Iteration)
  public void closeValidator() {
    validator.close();
  }

  /** CPU time of the benchmark thread and the calls it made, per iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Cpu {
    /** CPU nanoseconds spent in the timed batches. */
    public long cpuNanos;
    /** Calls made in them. */
    public long calls;

    /** Counters start at zero every iteration. */
    @Setup(Level.Iteration)
    public void reset() {
      cpuNanos = 0;
      calls = 0;
    }
  }

  private int nextProof() {
    int i = next++;
    if (i >= PROOFS) {
      throw new IllegalStateException("more than " + PROOFS + " requests in one iteration: shorten the iteration "
          + "or sign more proofs (a proof used twice would be refused as a replay, not measured)");
    }
    return i;
  }

  /** A DPoP request: RS256 token with cnf.jkt, ES256 proof, replay record. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void dpop(Cpu cpu, Blackhole bh) throws Exception {
    long start = THREADS.getCurrentThreadCpuTime();
    for (int k = 0; k < BATCH; k++) {
      int i = nextProof();
      bh.consume(validator.validate(TokenRequest.builder("GET", URL).authorization(dpopAuthorization[i & (TOKENS - 1)])
          .dpopProof(proofs[i]).build()));
    }
    cpu.cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
    cpu.calls += BATCH;
  }

  /** The same request path under Bearer, same token shape without cnf. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void bearer(Cpu cpu, Blackhole bh) throws Exception {
    long start = THREADS.getCurrentThreadCpuTime();
    for (int k = 0; k < BATCH; k++) {
      int i = next++;
      bh.consume(validator.validate(TokenRequest.builder("GET", URL).authorization(bearerAuthorization[i & (TOKENS - 1)])
          .build()));
    }
    cpu.cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
    cpu.calls += BATCH;
  }

  /** The floor a proof adds: one bare ES256 verify. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void es256_verify(Cpu cpu, Blackhole bh) throws Exception {
    long start = THREADS.getCurrentThreadCpuTime();
    for (int k = 0; k < BATCH; k++) {
      int i = next++ & (PROOFS - 1);
      es256.initVerify(clientKey);
      es256.update(proofInput[i]);
      if (!es256.verify(proofSignature[i])) {
        throw new AssertionError("proof signature did not verify");
      }
      bh.consume(i);
    }
    cpu.cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
    cpu.calls += BATCH;
  }

  /** The three paths' CPU time measured side by side, batch after batch on one thread (see {@link #paired}). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Paired {
    /** CPU nanoseconds of the DPoP batches. */
    public long dpopNanos;
    /** CPU nanoseconds of the bearer batches. */
    public long bearerNanos;
    /** CPU nanoseconds of the bare ES256 verify batches. */
    public long es256Nanos;
    /** CPU nanoseconds of the batches where each call is one bare ES256 verify and one bearer request, interleaved. */
    public long combinedNanos;
    /** Calls per path. */
    public long callsEach;

    /** Counters start at zero every iteration. */
    @Setup(Level.Iteration)
    public void reset() {
      dpopNanos = 0;
      bearerNanos = 0;
      es256Nanos = 0;
      combinedNanos = 0;
      callsEach = 0;
    }
  }

  /**
   * The comparison that survives a loaded machine: each invocation runs a batch of bare ES256 verifies, a batch
   * of bearer requests and a batch of DPoP requests back to back on the same thread, each timed in CPU time, so
   * the three share the same moment's load. {@code dpopNanos / (bearerNanos + es256Nanos)} is the target ratio
   * (at most 1.10). A fourth batch does, per call, one bare verify and one bearer request interleaved, as a DPoP
   * request does them: {@code dpopNanos / combinedNanos} separates our own per-proof work from what running the
   * two operations alternately (not each in its own tight loop) costs the CPU.
   */
  @Benchmark
  @OperationsPerInvocation(4 * BATCH)
  public void paired(Paired p, Blackhole bh) throws Exception {
    long t0 = THREADS.getCurrentThreadCpuTime();
    for (int k = 0; k < BATCH; k++) {
      int i = (next + k) & (PROOFS - 1);
      es256.initVerify(clientKey);
      es256.update(proofInput[i]);
      if (!es256.verify(proofSignature[i])) {
        throw new AssertionError("proof signature did not verify");
      }
    }
    long t1 = THREADS.getCurrentThreadCpuTime();
    for (int k = 0; k < BATCH; k++) {
      bh.consume(validator.validate(TokenRequest.builder("GET", URL)
          .authorization(bearerAuthorization[(next + k) & (TOKENS - 1)]).build()));
    }
    long t2 = THREADS.getCurrentThreadCpuTime();
    for (int k = 0; k < BATCH; k++) {
      int i = nextProof();
      bh.consume(validator.validate(TokenRequest.builder("GET", URL).authorization(dpopAuthorization[i & (TOKENS - 1)])
          .dpopProof(proofs[i]).build()));
    }
    long t3 = THREADS.getCurrentThreadCpuTime();
    for (int k = 0; k < BATCH; k++) {
      int i = (next + k) & (PROOFS - 1);
      es256.initVerify(clientKey);
      es256.update(proofInput[i]);
      if (!es256.verify(proofSignature[i])) {
        throw new AssertionError("proof signature did not verify");
      }
      bh.consume(validator.validate(TokenRequest.builder("GET", URL)
          .authorization(bearerAuthorization[(next + k) & (TOKENS - 1)]).build()));
    }
    long t4 = THREADS.getCurrentThreadCpuTime();
    p.combinedNanos += t4 - t3;
    p.es256Nanos += t1 - t0;
    p.bearerNanos += t2 - t1;
    p.dpopNanos += t3 - t2;
    p.callsEach += BATCH;
  }
}
