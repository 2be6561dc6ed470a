package dev.tokenward.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A cache key derived from a token by SHA-256, so caches never hold the token itself. A
 * collision-resistant hash, not {@code hashCode}: a token crafted to collide with a cached one
 * would otherwise be answered as verified.
 */
record TokenHash(long a, long b, long c, long d) {
  /** A thread's SHA-256 and the buffer it digests into: hashing a token allocates only the key. */
  private static final class Sha256 {
    final MessageDigest digest;
    final byte[] out = new byte[32];

    Sha256() {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required by every Java platform", e);
      }
    }
  }

  private static final ThreadLocal<Sha256> SHA256 = ThreadLocal.withInitial(Sha256::new);

  static TokenHash of(String token) {
    return of(token.getBytes(StandardCharsets.UTF_8));
  }

  /** The hash of a token already turned into bytes (one byte per character for a JWT). */
  static TokenHash of(byte[] token) {
    Sha256 sha = SHA256.get();
    byte[] h = sha.out;
    try {
      sha.digest.update(token);
      sha.digest.digest(h, 0, 32);
    } catch (java.security.DigestException e) {
      sha.digest.reset();
      throw new IllegalStateException("SHA-256 could not write its 32 bytes", e);
    }
    return new TokenHash(word(h, 0), word(h, 8), word(h, 16), word(h, 24));
  }

  /**
   * The first 32 bits of the digest, already uniform. Written out, as {@link #equals} is: a record's
   * generated methods go through method handles that the JIT fully inlines only on hot call sites,
   * and a new validator's first insert is not one.
   */
  @Override
  public int hashCode() {
    return (int) (a >>> 32);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenHash h && h.a == a && h.b == b && h.c == c && h.d == d;
  }

  private static long word(byte[] h, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (h[off + i] & 0xff);
    }
    return v;
  }
}
