package dev.tokenward.core;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;

/**
 * The RFC 7638 SHA-256 thumbprint of a public JWK, base64url without padding: the value a
 * DPoP-bound token carries as {@code cnf.jkt} (RFC 9449 section 6.1). Computed by Nimbus over the
 * key's required members only, so {@code kid}, {@code alg} or member order cannot change it.
 */
final class JwkThumbprint {
  private JwkThumbprint() {}

  static String sha256(JWK key) throws TokenValidationException {
    try {
      return key.computeThumbprint("SHA-256").toString();
    } catch (JOSEException | RuntimeException e) {
      throw new TokenValidationException(Reason.DPOP_PROOF_KEY, "the DPoP proof's jwk has no RFC 7638 thumbprint ("
          + e.getClass().getSimpleName() + ")");
    }
  }
}
