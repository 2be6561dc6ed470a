package dev.tokenward.core;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One verification key, checked when its JWKS is read and turned into a JCA key on first use, so
 * the per-token path only verifies and a new validator's first token converts only the key it needs.
 *
 * <p>A key is a candidate for a token only if its type fits the token's {@code alg} (RSA for
 * RS/PS, the matching curve for ES, Ed25519 for EdDSA, the secret for HS) and its own
 * {@code alg}, if it has one, is the same. Keys that are not for signatures ({@code use},
 * {@code key_ops}), RSA keys whose modulus is under 2048 bits long or has leading zero octets never
 * become candidates.
 */
final class KeyCandidate {
  private static final Logger log = LoggerFactory.getLogger(KeyCandidate.class);
  static final int MIN_RSA_BITS = 2048;
  private static final byte[] ED25519_X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
  private static final Map<String, JWSHeader> HEADERS = new ConcurrentHashMap<>();

  final String keyId;
  final JWK jwk; // null for an HMAC secret
  private final String family; // "RSA", "EC:P-256", "OKP:Ed25519", "HMAC"
  private final String keyAlgorithm; // the JWK's own alg, or null
  private final BigInteger curveOrder; // EC only
  private final RSAPublicKeySpec rsaSpec; // RSA only: n and e as decoded and checked when the JWKS was read
  private final Lazy<Keys> keys; // the JCA form, made on first use; UNUSABLE if it cannot be made
  /**
   * Verifier slots per algorithm: a power of two, at least twice the processors (at most 32), so threads running at
   * the same moment rarely pick the same slot; one that finds its slot empty takes the next kept verifier, and makes
   * one of its own only when none is free.
   */
  static final int STRIPES =
      Integer.highestOneBit(Math.max(1, Math.min(32, 2 * Runtime.getRuntime().availableProcessors())) * 2 - 1);

  /**
   * The key in the JCA's form and, where the JCA path is not used, nimbus's verifier. Making them
   * costs more than a verification; a JWKS often lists keys no token of this service will name.
   */
  private record Keys(PublicKey rsa, PublicKey ec, PublicKey ed, JWSVerifier verifier,
      AtomicReferenceArray<Signature> verifiers) {
    /** The slots of the JCA verifiers of an RSA or P-256/384/521 key (see {@link #verifyWith}): 3 algorithms. */
    static AtomicReferenceArray<Signature> slots() {
      return new AtomicReferenceArray<>(3 * STRIPES);
    }
  }

  /** A key the JCA refused at first use: it verifies nothing. */
  private static final Keys UNUSABLE = new Keys(null, null, null, null, null);

  private KeyCandidate(JWK jwk, String family, String keyAlgorithm, BigInteger curveOrder, RSAPublicKeySpec rsaSpec,
      Keys keys) {
    this.jwk = jwk;
    this.keyId = jwk == null ? null : jwk.getKeyID();
    this.family = family;
    this.keyAlgorithm = keyAlgorithm;
    this.curveOrder = curveOrder;
    this.rsaSpec = rsaSpec;
    this.keys = keys != null ? new Lazy<>(() -> keys) : new Lazy<>(this::convertOrUnusable);
  }

  /** A candidate for a public JWK, or an explanation of why the key is unusable. */
  static KeyCandidate fromJwk(JWK jwk) throws IllegalArgumentException {
    if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
      throw new IllegalArgumentException("its 'use' is not 'sig'");
    }
    if (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY)) {
      throw new IllegalArgumentException("its 'key_ops' does not include 'verify'");
    }
    String alg = jwk.getAlgorithm() == null ? null : jwk.getAlgorithm().getName();
    if (jwk instanceof RSAKey rsa) {
      // RSAKey.size() counts the bytes of n, leading zeros included: a padded 512-bit modulus would
      // pass as 2048 bits. RFC 7518 section 6.3.1.1 forbids the padding; the real size is n's bit length.
      byte[] n = unsignedOctets(rsa.getModulus(), "n");
      if (n.length == 0 || n[0] == 0) {
        throw new IllegalArgumentException("its modulus 'n' has a leading zero octet, which RFC 7518 section 6.3.1.1 "
            + "forbids (a padded modulus can pass for a longer key)");
      }
      BigInteger modulus = new BigInteger(1, n);
      int bits = modulus.bitLength();
      if (bits < MIN_RSA_BITS) {
        throw new IllegalArgumentException("it is an RSA key of " + bits + " bits; at least " + MIN_RSA_BITS + " are required");
      }
      BigInteger exponent = new BigInteger(1, unsignedOctets(rsa.getPublicExponent(), "e"));
      // kept decoded for convert(): the JCA key is made from the very values checked here, without decoding n again
      return new KeyCandidate(jwk, "RSA", alg, null, new RSAPublicKeySpec(modulus, exponent), null);
    }
    if (jwk instanceof ECKey ec) {
      // nimbus checked at parse time that the point is on the curve
      Curve curve = ec.getCurve();
      BigInteger order = curve.toECParameterSpec() == null ? null : curve.toECParameterSpec().getOrder();
      if (order == null) {
        throw new IllegalArgumentException("its curve " + curve + " is not supported");
      }
      return new KeyCandidate(jwk, "EC:" + curve.getName(), alg, order, null, null);
    }
    if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
      if (okp.getDecodedX().length != 32) {
        throw new IllegalArgumentException("its 'x' is not 32 octets long, as an Ed25519 public key is");
      }
      return new KeyCandidate(jwk, "OKP:Ed25519", alg, null, null, null);
    }
    throw new IllegalArgumentException("its type " + jwk.getKeyType() + " cannot verify signatures");
  }

  private Keys convert() throws GeneralSecurityException, JOSEException {
    if (rsaSpec != null) {
      // the same key RSAKey.toRSAPublicKey() builds, from the n and e fromJwk decoded and checked
      RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(rsaSpec);
      return new Keys(key, null, null, new RSASSAVerifier(key), Keys.slots());
    }
    if (jwk instanceof ECKey ec) {
      // P-256/384/521 take the JCA path; nimbus's verifier (which checks the point again) only for the others
      boolean jca = family.startsWith("EC:P-");
      return jca ? new Keys(null, ec.toECPublicKey(), null, null, Keys.slots())
          : new Keys(null, null, null, new ECDSAVerifier(ec.toECPublicKey()), null);
    }
    byte[] x = ((OctetKeyPair) jwk).getDecodedX();
    byte[] der = Arrays.copyOf(ED25519_X509_PREFIX, ED25519_X509_PREFIX.length + x.length);
    System.arraycopy(x, 0, der, ED25519_X509_PREFIX.length, x.length);
    return new Keys(null, null, KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)), null,
        null);
  }

  /**
   * A base64url JWK member's octets, read with the JDK's decoder: nimbus's portable codec costs
   * several times more, and a new validator reads every key of the JWKS before its first token.
   */
  private static byte[] unsignedOctets(Base64URL value, String member) {
    if (value == null) {
      throw new IllegalArgumentException("its '" + member + "' is missing");
    }
    try {
      return java.util.Base64.getUrlDecoder().decode(value.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("its '" + member + "' is not base64url", e);
    }
  }

  /** A candidate for an HMAC secret; the builder has checked its length. */
  static KeyCandidate fromSecret(byte[] secret) {
    try {
      return new KeyCandidate(null, "HMAC", null, null, null, new Keys(null, null, null, new MACVerifier(secret), null));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("HMAC secret: " + e.getMessage(), e);
    }
  }

  /** True if this key may verify a token signed with {@code alg}. */
  boolean fits(String alg) {
    if (keyAlgorithm != null && !keyAlgorithm.equals(alg)) {
      return false;
    }
    return family.equals(familyOf(alg));
  }

  /** The key family an algorithm needs, or null for an algorithm tokenward does not implement. */
  static String familyOf(String alg) {
    return switch (alg) {
      case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512" -> "RSA";
      case "ES256" -> "EC:P-256";
      case "ES384" -> "EC:P-384";
      case "ES512" -> "EC:P-521";
      case "ES256K" -> "EC:secp256k1";
      case "EdDSA", "Ed25519" -> "OKP:Ed25519";
      case "HS256", "HS384", "HS512" -> "HMAC";
      default -> null;
    };
  }

  /** Verifies a token's signature; ECDSA signatures are checked for length and range before the JCA sees them. */
  boolean verify(String alg, ParsedJws jws) {
    return verify(alg, jws.bytes(), jws.signingInputLength(), jws.signature(), jws, null);
  }

  /** Verifies a compact JWS that was not read by {@link ParsedJws} (a DPoP proof). */
  boolean verify(String alg, byte[] signingInput, String signatureSegment) {
    byte[] signature;
    try {
      signature = java.util.Base64.getUrlDecoder().decode(signatureSegment);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return verify(alg, signingInput, signingInput.length, signature, null, signatureSegment);
  }

  /** The signature covers {@code input[0, length)}; the segment (or the token to cut it from) is only for nimbus's verifiers. */
  private boolean verify(String alg, byte[] input, int length, byte[] signature, ParsedJws jws, String segment) {
    Keys k = keys.get();
    if (k == UNUSABLE) {
      return false;
    }
    try {
      if (k.ed() != null) {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(k.ed());
        s.update(input, 0, length);
        return s.verify(signature);
      }
      if (k.rsa() != null && alg.startsWith("RS")) {
        return verifyPkcs1(alg, k, input, length, signature);
      }
      if (k.ec() != null && (alg.equals("ES256") || alg.equals("ES384") || alg.equals("ES512"))) {
        return ecdsaSignatureInRange(signature) && verifyEcdsa(alg, k, input, length, signature);
      }
      Base64URL encoded = new FastBase64URL(segment != null ? segment : jws.signatureSegment(), signature);
      if (curveOrder != null && !ecdsaSignatureInRange(signature)) {
        return false;
      }
      return k.verifier().verify(HEADERS.computeIfAbsent(alg, a -> new JWSHeader(JWSAlgorithm.parse(a))),
          length == input.length ? input : java.util.Arrays.copyOf(input, length), encoded);
    } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** This key's JCA form, or {@link #UNUSABLE} (and one warning) if it cannot be made. */
  private Keys convertOrUnusable() {
    try {
      return convert();
    } catch (GeneralSecurityException | JOSEException | RuntimeException e) {
      log.warn("Key {} cannot verify signatures and is not used: {}", Json.shown(keyId), e.toString());
      return UNUSABLE;
    }
  }

  /**
   * RS256/384/512, the algorithms nearly every issuer uses, verified with a {@link Signature} kept
   * initialized for this key (see {@link #verifyWith}): a JCA verifier returns to its initialized
   * state after each {@code verify}, so the per-token path skips the provider lookup and key translation.
   */
  private static boolean verifyPkcs1(String alg, Keys k, byte[] input, int length, byte[] signature) {
    int slot = alg.equals("RS256") ? 0 : alg.equals("RS384") ? 1 : 2;
    return verifyWith(k.verifiers(), slot, slot == 0 ? "SHA256withRSA" : slot == 1 ? "SHA384withRSA" : "SHA512withRSA",
        k.rsa(), input, length, signature);
  }

  /**
   * ES256/384/512 the same way, once the JOSE {@code R||S} signature passed the length and range
   * checks (so nimbus's transcoding to DER sees only well-formed values). On JDKs where P-256 is
   * fast (21+), the provider lookup and key translation nimbus's verifier does per token are a
   * visible share; on 17 they vanish next to the EC arithmetic.
   */
  private static boolean verifyEcdsa(String alg, Keys k, byte[] input, int length, byte[] signature)
      throws JOSEException {
    int slot = alg.equals("ES256") ? 0 : alg.equals("ES384") ? 1 : 2;
    byte[] der = com.nimbusds.jose.crypto.impl.ECDSA.transcodeSignatureToDER(signature);
    return verifyWith(k.verifiers(), slot,
        slot == 0 ? "SHA256withECDSA" : slot == 1 ? "SHA384withECDSA" : "SHA512withECDSA", k.ec(), input, length, der);
  }

  /**
   * Verifies with a JCA verifier the key's {@code verifiers} keep initialised ({@link #STRIPES} slots for each of the
   * three algorithms, row {@code slot}), taken for the call and put back after it. Not a {@link ThreadLocal}: a key's
   * verifiers go with the key, where per-thread ones stayed in every thread's map after the key was gone (a JWKS
   * rotation, a validator closed) until the map happened to clear them.
   */
  static boolean verifyWith(AtomicReferenceArray<Signature> verifiers, int slot, String algorithm, PublicKey key,
      byte[] input, int length, byte[] signature) {
    int base = slot * STRIPES;
    int home = (int) Thread.currentThread().getId(); // threads start at different slots, so they rarely meet
    Signature s = null;
    for (int k = 0; k < STRIPES && s == null; k++) {
      int i = base + ((home + k) & (STRIPES - 1));
      if (verifiers.get(i) != null) {
        s = verifiers.getAndSet(i, null); // ours alone until it is put back; null if another thread took it first
      }
    }
    try {
      if (s == null) {
        s = Signature.getInstance(algorithm);
        s.initVerify(key);
      }
      s.update(input, 0, length);
      boolean valid = s.verify(signature); // a JCA verifier is back in its initialised state after verify
      putBack(verifiers, base, home, s);
      return valid;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false; // and the verifier is not put back: its state after a failure is not trusted
    }
  }

  /** Into the first empty slot from the thread's own; dropped if every slot holds one (at most STRIPES are kept). */
  private static void putBack(AtomicReferenceArray<Signature> verifiers, int base, int home, Signature s) {
    for (int k = 0; k < STRIPES; k++) {
      if (verifiers.compareAndSet(base + ((home + k) & (STRIPES - 1)), null, s)) {
        return;
      }
    }
  }

  /**
   * Nimbus's verifiers take the signature as {@link Base64URL} and decode it with a portable codec
   * that costs a noticeable share of a verification; the JDK's decoder gives the same bytes
   * faster. Here they come already decoded (once per token).
   */
  private static final class FastBase64URL extends Base64URL {
    private static final long serialVersionUID = 1L;
    private final transient byte[] decoded;

    FastBase64URL(String segment, byte[] decoded) {
      super(segment);
      this.decoded = decoded;
    }

    @Override
    public byte[] decode() {
      return decoded.clone();
    }
  }

  /** JOSE ECDSA signatures are R||S, each exactly the curve's byte length and in [1, n-1] (CVE-2022-21449). */
  private boolean ecdsaSignatureInRange(byte[] sig) {
    int half = (curveOrder.bitLength() + 7) / 8;
    if (sig.length != 2 * half) {
      return false;
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, half));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, half, sig.length));
    return r.signum() > 0 && s.signum() > 0 && r.compareTo(curveOrder) < 0 && s.compareTo(curveOrder) < 0;
  }
}
