package dev.tokenward.redis;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * A DPoP client for tests (RFC 9449): one ES256 key, its thumbprint for a token's {@code cnf.jkt}, and
 * fresh proofs (a new {@code jti} each) for a request, made with Nimbus JOSE.
 */
public final class DpopClient {
  private final ECKey key;

  /** A client with a fresh P-256 key. */
  public DpopClient() {
    try {
      this.key = new ECKeyGenerator(Curve.P_256).generate();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code cnf} claim binding a token to this client's key. */
  public Map<String, Object> cnf() {
    try {
      return Map.of("jkt", key.computeThumbprint().toString());
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new proof for {@code method} {@code url} carrying {@code token}'s hash, with the given {@code jti}. */
  public String proof(String method, String url, String token, String jti) {
    try {
      String ath = Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
          .jwk(key.toPublicJWK()).build(), new JWTClaimsSet.Builder().jwtID(jti).claim("htm", method).claim("htu", url)
          .issueTime(new Date()).claim("ath", ath).build());
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new proof with a random {@code jti}. */
  public String proof(String method, String url, String token) {
    return proof(method, url, token, UUID.randomUUID().toString());
  }
}
