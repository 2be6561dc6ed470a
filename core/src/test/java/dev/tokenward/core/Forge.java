package dev.tokenward.core;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An attacker's toolbox for the adversarial tests: tokens built byte by byte from raw header and
 * payload JSON (duplicate members, odd types, nesting) and signed, MACed or left unsigned exactly as
 * an attacker would, without any library normalising them on the way.
 */
final class Forge {
  private Forge() {}

  static String b64(String text) {
    return Base64URL.encode(text.getBytes(StandardCharsets.UTF_8)).toString();
  }

  static String b64(byte[] bytes) {
    return Base64URL.encode(bytes).toString();
  }

  /** Auth0-shaped access-token claims for {@code issuer}, as a mutable map. */
  static Map<String, Object> claims(String issuer) {
    long now = Instant.now().getEpochSecond();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("iss", issuer);
    c.put("sub", "auth0|attacker");
    c.put("aud", FakeIssuer.AUDIENCE);
    c.put("iat", now);
    c.put("exp", now + 3600);
    c.put("scope", "admin");
    return c;
  }

  static String json(Map<String, ?> map) {
    return JSONObjectUtils.toJSONString(map);
  }

  /** {@code b64(header).b64(payload)}, the JWS signing input. */
  static String signingInput(String headerJson, String payloadJson) {
    return b64(headerJson) + "." + b64(payloadJson);
  }

  /** RS256 over the raw JSON texts given, with any RSA private key. */
  static String rs256(String headerJson, String payloadJson, PrivateKey key) {
    String input = signingInput(headerJson, payloadJson);
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(key);
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String rs256(String headerJson, String payloadJson, RSAKey key) {
    try {
      return rs256(headerJson, payloadJson, key.toPrivateKey());
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** HMAC-SHA256 with any key bytes at all, even ones no honest library would accept as a secret. */
  static String hs256(String headerJson, String payloadJson, byte[] key) {
    String input = signingInput(headerJson, payloadJson);
    return input + "." + b64(hmacSha256(key, input.getBytes(StandardCharsets.US_ASCII)));
  }

  static byte[] hmacSha256(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      // HMAC pads a short key with zeros, so the empty key equals a single zero byte (SecretKeySpec refuses empty)
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key as PEM text, the form an attacker most often feeds to an HMAC by mistake. */
  static String pem(byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }

  /** The attacker's self-signed certificate and its private key (test resources, generated with openssl). */
  static X509Certificate attackerCertificate() {
    try (InputStream in = resource("attack/attacker-cert.pem")) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static PrivateKey attackerCertificateKey() {
    try (InputStream in = resource("attack/attacker-key.pem")) {
      String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = Forge.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing test resource " + name);
    }
    return in;
  }

  /** Replaces the signature segment of a compact token. */
  static String withSignature(String token, String signatureSegment) {
    return token.substring(0, token.lastIndexOf('.') + 1) + signatureSegment;
  }

  static String[] split(String token) {
    return token.split("\\.", -1);
  }

  static List<String> x5c(X509Certificate cert) {
    try {
      return List.of(Base64.getEncoder().encodeToString(cert.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The refusal a call ends in; fails the test if it returns or throws anything else. */
  static TokenValidationException refusal(ValidatorTestSupport.Call call) {
    try {
      call.run();
    } catch (TokenValidationException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError("expected a TokenValidationException, got " + e, e);
    }
    throw new AssertionError("the call was not refused");
  }
}
