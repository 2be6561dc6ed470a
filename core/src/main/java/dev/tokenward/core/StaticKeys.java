package dev.tokenward.core;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads verification keys given by hand, for services that cannot reach the issuer's JWKS: PEM
 * ({@code PUBLIC KEY} or {@code CERTIFICATE}), a single JWK, or a JWKS document. Private key
 * material, if present, is dropped; only public keys are kept.
 */
public final class StaticKeys {
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN (PUBLIC KEY|CERTIFICATE)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private StaticKeys() {}

  /** Every public key or certificate in a PEM text; {@code keyId} names them (suffixed -1, -2... if several). */
  public static JWKSet fromPem(String pem, String keyId) {
    Matcher m = PEM.matcher(pem);
    List<JWK> keys = new ArrayList<>();
    while (m.find()) {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      try {
        PublicKey key = m.group(1).equals("CERTIFICATE")
            ? CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey()
            : publicKey(der);
        keys.add(toJwk(key, keys.isEmpty() ? keyId : keyId + "-" + (keys.size() + 1)));
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("PEM: cannot read a public key: " + e.getMessage(), e);
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("PEM: no '-----BEGIN PUBLIC KEY-----' or '-----BEGIN CERTIFICATE-----' block found");
    }
    return new JWKSet(keys);
  }

  /** A JWKS document ({@code {"keys":[...]}}) or a single JWK object. */
  public static JWKSet fromJson(String json) {
    try {
      if (json.contains("\"keys\"")) {
        return JWKSet.parse(json).toPublicJWKSet();
      }
      return new JWKSet(JWK.parse(json).toPublicJWK());
    } catch (ParseException e) {
      throw new IllegalArgumentException("keys: not a JWK or JWKS document: " + e.getMessage(), e);
    }
  }

  private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
    for (String type : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException ignored) {
        // try the next key type
      }
    }
    throw new GeneralSecurityException("not an RSA, EC or Ed25519 public key");
  }

  private static JWK toJwk(PublicKey key, String kid) {
    if (key instanceof RSAPublicKey rsa) {
      return new RSAKey.Builder(rsa).keyID(kid).build();
    }
    if (key instanceof ECPublicKey ec) {
      return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).keyID(kid).build();
    }
    if (key.getAlgorithm().equals("EdDSA") || key.getAlgorithm().equals("Ed25519")) {
      byte[] der = key.getEncoded();
      byte[] x = Arrays.copyOfRange(der, der.length - 32, der.length);
      return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID(kid).build();
    }
    throw new IllegalArgumentException("PEM: unsupported key type " + key.getAlgorithm());
  }
}
