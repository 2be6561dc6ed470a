package dev.tokenward.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The {@code ath} of a DPoP proof (RFC 9449 section 4.2): base64url, without padding, of the
 * SHA-256 of the access token's ASCII characters. It ties a proof to one token, so a proof
 * captured with one token cannot be used with another.
 */
final class AccessTokenHash {
  private AccessTokenHash() {}

  static String of(String accessToken) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** True if {@code ath} is the hash of {@code accessToken}; compared in constant time. */
  static boolean matches(String ath, String accessToken) {
    return MessageDigest.isEqual(of(accessToken).getBytes(StandardCharsets.US_ASCII),
        ath.getBytes(StandardCharsets.US_ASCII));
  }
}
