package dev.tokenward.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless DPoP server nonces (RFC 9449 section 9): a nonce is the number of the current time slot
 * and an HMAC of it under a secret, so nothing is stored and every replica given the same secret
 * accepts the nonces of every other. A nonce is accepted during its own slot and the next one, so
 * it lives between one and two rotation periods; the current one is handed out on every answer.
 */
final class DpopNonces {
  private static final byte[] LABEL = "tokenward DPoP nonce v1".getBytes(StandardCharsets.US_ASCII);
  private static final int MAC_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final long slotMillis;
  private final Clock clock;
  private final ThreadLocal<Mac> macs;
  private volatile Current current = new Current(Long.MIN_VALUE, null);

  private record Current(long slot, String nonce) {}

  /** A random 256-bit secret, for a validator whose replicas need not share nonces. */
  static byte[] randomSecret() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return secret;
  }

  DpopNonces(byte[] secret, Duration rotation, Clock clock) {
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    this.slotMillis = rotation.toMillis();
    this.clock = clock;
    this.macs = ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
      }
    });
  }

  /** The nonce of the current slot: the one to send in {@code DPoP-Nonce}. */
  String current() {
    long slot = slot();
    Current c = current;
    if (c.slot() != slot) {
      c = new Current(slot, encode(slot));
      current = c;
    }
    return c.nonce();
  }

  /** True if {@code nonce} was issued (with this secret) for the current or the previous slot. */
  boolean isValid(String nonce) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(nonce);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (raw.length != 8 + MAC_BYTES) {
      return false;
    }
    long slot = ByteBuffer.wrap(raw, 0, 8).getLong();
    long now = slot();
    if (slot != now && slot != now - 1) {
      return false;
    }
    byte[] expected = mac(slot);
    byte[] given = new byte[MAC_BYTES];
    System.arraycopy(raw, 8, given, 0, MAC_BYTES);
    return MessageDigest.isEqual(expected, given);
  }

  private long slot() {
    return Math.floorDiv(clock.millis(), slotMillis);
  }

  private String encode(long slot) {
    ByteBuffer b = ByteBuffer.allocate(8 + MAC_BYTES);
    b.putLong(slot).put(mac(slot));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  private byte[] mac(long slot) {
    Mac mac = macs.get();
    mac.update(LABEL);
    byte[] full = mac.doFinal(ByteBuffer.allocate(8).putLong(slot).array());
    byte[] out = new byte[MAC_BYTES];
    System.arraycopy(full, 0, out, 0, MAC_BYTES);
    return out;
  }
}
