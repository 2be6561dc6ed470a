package dev.tokenward.core;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A DPoP client for tests, written for them: proofs built from raw header and claim maps, so every
 * RFC 9449 section 4.3 check can be broken on purpose. The interop tests use a client tokenward did
 * not write (the Nimbus OAuth SDK) instead.
 */
final class DpopProofs {
  static final ECKey CLIENT_EC;
  static final ECKey OTHER_EC;
  static final RSAKey CLIENT_RSA;
  /** Public only: Nimbus signs Ed25519 through Tink, which tokenward does not ship; the JDK signs here. */
  static final OctetKeyPair CLIENT_ED25519;
  private static final java.security.PrivateKey ED25519_PRIVATE;

  static {
    try {
      CLIENT_EC = new ECKeyGenerator(Curve.P_256).generate();
      OTHER_EC = new ECKeyGenerator(Curve.P_256).generate();
      CLIENT_RSA = new RSAKeyGenerator(2048).generate();
      java.security.KeyPair ed = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] spki = ed.getPublic().getEncoded(); // 12-byte X.509 prefix, then the 32-byte key
      byte[] x = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
      CLIENT_ED25519 = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).build();
      ED25519_PRIVATE = ed.getPrivate();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private DpopProofs() {}

  static String thumbprint(JWK key) {
    try {
      return key.toPublicJWK().computeThumbprint().toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String ath(String token) {
    try {
      return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)))
          .toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A valid ES256 proof for this method, URI and token, by {@link #CLIENT_EC}. */
  static Proof proof(String method, String uri, String token) {
    return new Proof(CLIENT_EC, method, uri, token);
  }

  /** One proof under construction; every header member and claim can be replaced or removed. */
  static final class Proof {
    final Map<String, Object> header = new LinkedHashMap<>();
    final Map<String, Object> claims = new LinkedHashMap<>();
    private JWK signingKey;
    private String rawPayload;

    Proof(JWK key, String method, String uri, String token) {
      header.put("typ", "dpop+jwt");
      header.put("alg", key instanceof RSAKey ? "RS256" : key instanceof OctetKeyPair ? "EdDSA" : "ES256");
      header.put("jwk", key.toPublicJWK().toJSONObject());
      claims.put("jti", UUID.randomUUID().toString());
      claims.put("htm", method);
      claims.put("htu", uri);
      claims.put("iat", Instant.now().getEpochSecond());
      if (token != null) {
        claims.put("ath", ath(token));
      }
      this.signingKey = key;
    }

    Proof header(String name, Object value) {
      if (value == null) {
        header.remove(name);
      } else {
        header.put(name, value);
      }
      return this;
    }

    Proof claim(String name, Object value) {
      if (value == null) {
        claims.remove(name);
      } else {
        claims.put(name, value);
      }
      return this;
    }

    /** Signs this exact payload JSON instead of the claims (for payloads no JSON writer would produce). */
    Proof rawPayload(String json) {
      this.rawPayload = json;
      return this;
    }

    /** Signs with this key instead (the header's jwk stays as it is). */
    Proof signWith(JWK key) {
      this.signingKey = key;
      return this;
    }

    String sign() {
      String h = Base64URL.encode(JSONObjectUtils.toJSONString(header)).toString();
      String p = Base64URL.encode(rawPayload != null ? rawPayload : JSONObjectUtils.toJSONString(claims)).toString();
      byte[] input = (h + "." + p).getBytes(StandardCharsets.US_ASCII);
      try {
        JWSSigner signer;
        JWSAlgorithm alg;
        if (signingKey instanceof RSAKey rsa && rsa.size() < 2048) { // Nimbus refuses to sign with it; an attacker would not
          java.security.Signature s = java.security.Signature.getInstance("SHA256withRSA");
          s.initSign(rsa.toPrivateKey());
          s.update(input);
          return h + "." + p + "." + Base64URL.encode(s.sign());
        } else if (signingKey instanceof RSAKey rsa) {
          signer = new RSASSASigner(rsa);
          alg = String.valueOf(header.get("alg")).startsWith("PS") ? JWSAlgorithm.PS256 : JWSAlgorithm.RS256;
        } else if (signingKey instanceof OctetKeyPair) {
          java.security.Signature ed = java.security.Signature.getInstance("Ed25519");
          ed.initSign(ED25519_PRIVATE);
          ed.update(input);
          return h + "." + p + "." + Base64URL.encode(ed.sign());
        } else {
          signer = new ECDSASigner((ECKey) signingKey);
          alg = JWSAlgorithm.ES256;
        }
        return h + "." + p + "." + signer.sign(new JWSHeader(alg), input);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
