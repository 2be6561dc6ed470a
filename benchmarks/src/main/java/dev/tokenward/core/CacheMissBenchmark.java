package dev.tokenward.core;

import dev.tokenward.benchmarks.Material;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The verified-token cache's own cost on a miss, in isolation, next to the RS256 verification it sits beside.
 * In package {@code dev.tokenward.core} (in the benchmarks jar only) so it reaches the package-private engine
 * without widening core's API.
 *
 * <ul>
 *   <li>{@code miss_bookkeeping}: what the cache adds to a token it has not seen, as the validator does it: SHA-256
 *       of the token's bytes, a lookup that misses in a full 10,000-entry cache (the default), and the admission
 *       check, which in a full cache notes the first sighting and does not insert. Every call hashes a token that
 *       differs from all before it.</li>
 *   <li>{@code miss_insert_evict}: the same with an insert into the full cache regardless (what every miss cost before
 *       the admission check; what a token's second sighting costs now), which makes Caffeine evict.</li>
 *   <li>{@code hit}: hash and lookup of a token in the cache (the repeated-token path, before its re-checks).</li>
 *   <li>{@code rs256_verify}: the floor, {@code Signature.verify} of one RS256 token with a pre-initialized
 *       per-thread {@code Signature}.</li>
 * </ul>
 * The ratio {@code rs256_verify / miss_bookkeeping} (ops/s) is the cache's share of a first-seen verification.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class CacheMissBenchmark {

  private TokenCache cache;
  private TokenCache.Entry entry;
  private byte[] known;
  private TokenHash knownHash;
  private byte[] signingInput;
  private byte[] signature;
  private Signature verifier;

  /** Per-thread token bytes, changed before each miss so no two hashes are alike. */
  @State(Scope.Thread)
  public static class NewTokens {
    byte[] token;
    long counter;

    @Setup(Level.Trial)
    public void setUp(CacheMissBenchmark shared) {
      token = shared.known.clone();
      counter = Thread.currentThread().getId() << 48;
    }

    byte[] next() {
      long c = counter++;
      for (int i = 0; i < 8; i++) {
        token[token.length - 1 - i] = (byte) (c >>> (8 * i));
      }
      return token;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Material m = Material.get();
    String token = m.tokens(Material.Alg.RS256).valid[0];
    known = ParsedJws.bytesOf(token);
    cache = new TokenCache(10_000, Duration.ofMinutes(5), System::nanoTime);
    VerifiedToken value = new VerifiedToken(TokenKind.JWT, m.issuer, Map.of("sub", "bench"), Map.of(), Long.MAX_VALUE,
        Long.MIN_VALUE, Long.MIN_VALUE, null);
    entry = new TokenCache.Entry(value, null, new ClaimChecks.Times(Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE));
    byte[] filler = known.clone();
    for (int i = 0; i < 10_240; i++) {
      filler[0] = (byte) i;
      filler[1] = (byte) (i >>> 8);
      filler[2] = (byte) 0xff;
      cache.put(TokenHash.of(filler), entry);
    }
    knownHash = TokenHash.of(known);
    cache.put(knownHash, entry);
    int dot = token.lastIndexOf('.');
    signingInput = token.substring(0, dot).getBytes(StandardCharsets.US_ASCII);
    signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(m.publicKey(Material.Alg.RS256));
  }

  @Benchmark
  public TokenHash miss_bookkeeping(NewTokens tokens) {
    TokenHash hash = TokenHash.of(tokens.next());
    if (cache.get(hash) != null) {
      throw new IllegalStateException("a new token hit the cache");
    }
    if (cache.admits(hash)) {
      cache.put(hash, entry);
    }
    return hash;
  }

  @Benchmark
  public TokenHash miss_insert_evict(NewTokens tokens) {
    TokenHash hash = TokenHash.of(tokens.next());
    if (cache.get(hash) != null) {
      throw new IllegalStateException("a new token hit the cache");
    }
    cache.put(hash, entry);
    return hash;
  }

  @Benchmark
  @Threads(2)
  public TokenHash miss_bookkeeping_t2(NewTokens tokens) {
    return miss_bookkeeping(tokens);
  }

  @Benchmark
  public TokenCache.Entry hit() {
    TokenCache.Entry e = cache.get(TokenHash.of(known));
    if (e == null) {
      throw new IllegalStateException("the known token is not in the cache");
    }
    return e;
  }

  @Benchmark
  public boolean rs256_verify() throws Exception {
    verifier.update(signingInput);
    if (!verifier.verify(signature)) {
      throw new IllegalStateException("the floor refused a valid signature");
    }
    return true;
  }
}
