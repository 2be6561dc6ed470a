package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** An RSA JWK's checks when its JWKS is read, and the JCA key made later from the values those checks read. */
class KeyCandidateTest {
  private static final byte[] INPUT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0".getBytes(StandardCharsets.US_ASCII);

  @Test
  void fromJwkWhenRsaModulusIsUnder2048BitsThenRefusedNamingItsSize() throws Exception {
    RSAPublicKey small = (RSAPublicKey) generate(1024).getPublic();
    RSAKey jwk = new RSAKey.Builder(small).keyID("small").build();
    assertThatThrownBy(() -> KeyCandidate.fromJwk(jwk)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("it is an RSA key of 1024 bits; at least 2048 are required");
  }

  @Test
  void fromJwkWhenRsaExponentIsNotBase64UrlThenRefusedNamingTheMember() throws Exception {
    RSAPublicKey pub = (RSAPublicKey) generate(2048).getPublic();
    RSAKey jwk = new RSAKey.Builder(Base64URL.encode(pub.getModulus()), new Base64URL("AQ+B")).keyID("bad-e").build();
    assertThatThrownBy(() -> KeyCandidate.fromJwk(jwk)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("its 'e' is not base64url");
  }

  @Test
  void verifyWhenRsaKeyWasAcceptedThenItsJcaKeyIsMadeFromTheCheckedModulusAndExponent() throws Exception {
    KeyPair pair = generate(2048);
    KeyCandidate key = KeyCandidate.fromJwk(new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID("k").build());
    KeyCandidate other = KeyCandidate.fromJwk(
        new RSAKey.Builder((RSAPublicKey) generate(2048).getPublic()).keyID("other").build());
    String signature = rs256(pair, INPUT);

    assertThat(key.verify("RS256", INPUT, signature)).isTrue();
    assertThat(key.verify("RS256", INPUT, signature)).as("a second token, the key already made").isTrue();
    assertThat(other.verify("RS256", INPUT, signature)).as("another modulus").isFalse();
    byte[] tampered = INPUT.clone();
    tampered[0] ^= 1;
    assertThat(key.verify("RS256", tampered, signature)).isFalse();
  }

  @Test
  void verifyWhenTheJcaRefusesTheExponentThenTheKeyVerifiesNothing() throws Exception {
    KeyPair pair = generate(2048);
    RSAKey exponentOne = new RSAKey.Builder(Base64URL.encode(((RSAPublicKey) pair.getPublic()).getModulus()),
        Base64URL.encode(BigInteger.ONE)).keyID("e-is-one").build();
    KeyCandidate key = KeyCandidate.fromJwk(exponentOne);
    // with e = 1, s^e mod n is s: the PKCS#1 v1.5 encoding of the input's hash, sent as the signature, would verify
    byte[] forged = pkcs1Sha256Encoding(INPUT, 256);
    RSAPublicKey real = (RSAPublicKey) pair.getPublic();
    assertThat(new BigInteger(1, Base64.getUrlDecoder().decode(rs256(pair, INPUT)))
        .modPow(real.getPublicExponent(), real.getModulus())).as("the encoding a real signature opens to")
        .isEqualTo(new BigInteger(1, forged));
    assertThat(key.verify("RS256", INPUT, Base64.getUrlEncoder().withoutPadding().encodeToString(forged)))
        .as("the forgery an exponent of 1 admits").isFalse();
    assertThat(key.verify("RS256", INPUT, rs256(pair, INPUT))).isFalse();
  }

  @Test
  void verifyWithWhenTheJcaThrewThenThatVerifierIsNotUsedAgain() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair pair = generator.generateKeyPair();
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(pair.getPrivate());
    signer.update(INPUT);
    byte[] der = signer.sign();
    java.util.concurrent.atomic.AtomicReferenceArray<Signature> slots =
        new java.util.concurrent.atomic.AtomicReferenceArray<>(3 * KeyCandidate.STRIPES);

    assertThat(KeyCandidate.verifyWith(slots, 0, "SHA256withECDSA", pair.getPublic(), INPUT, INPUT.length, der))
        .isTrue();
    // the JDK's ECDSA verifier throws on a malformed encoding and keeps the input it was given: reused, it would
    // refuse the next valid signature
    assertThat(KeyCandidate.verifyWith(slots, 0, "SHA256withECDSA", pair.getPublic(), INPUT, INPUT.length,
        new byte[] {1, 2, 3})).isFalse();
    assertThat(KeyCandidate.verifyWith(slots, 0, "SHA256withECDSA", pair.getPublic(), INPUT, INPUT.length, der))
        .as("the same thread, the same slots, after the failure").isTrue();
  }

  @Test
  void verifyWhenManyThreadsShareOneKeyThenEveryAnswerIsItsOwn() throws Exception {
    KeyPair pair = generate(2048);
    KeyCandidate key = KeyCandidate.fromJwk(new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID("k").build());
    byte[] tampered = INPUT.clone();
    tampered[3] ^= 1;
    String rs256 = rs256(pair, INPUT);
    String rs384 = sign("SHA384withRSA", pair, INPUT);
    String truncated = rs256.substring(0, 100); // the JCA refuses a signature of the wrong length
    int threads = 2 * KeyCandidate.STRIPES + 1; // more threads than slots, whatever the machine: slots are shared
    int rounds = 150;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      java.util.List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t;
        results.add(pool.submit(() -> {
          start.await();
          for (int r = 0; r < rounds; r++) {
            int which = (r + offset) % 5;
            boolean answer = switch (which) {
              case 0 -> key.verify("RS256", INPUT, rs256);
              case 1 -> !key.verify("RS256", tampered, rs256);
              case 2 -> key.verify("RS384", INPUT, rs384);
              case 3 -> !key.verify("RS384", INPUT, rs256);
              default -> !key.verify("RS256", INPUT, truncated);
            };
            if (!answer) {
              return "round " + r + ", case " + which + " answered wrongly";
            }
          }
          return "ok";
        }));
      }
      start.countDown();
      for (java.util.concurrent.Future<String> result : results) {
        assertThat(result.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("ok");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** EMSA-PKCS1-v1_5 of SHA-256(input), {@code length} bytes: 00 01 FF..FF 00 DigestInfo hash. */
  private static byte[] pkcs1Sha256Encoding(byte[] input, int length) throws Exception {
    byte[] digestInfo = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20};
    byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(input);
    byte[] em = new byte[length];
    em[1] = 0x01;
    int tail = digestInfo.length + hash.length;
    java.util.Arrays.fill(em, 2, length - tail - 1, (byte) 0xff);
    System.arraycopy(digestInfo, 0, em, length - tail, digestInfo.length);
    System.arraycopy(hash, 0, em, length - hash.length, hash.length);
    return em;
  }

  private static KeyPair generate(int bits) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(bits);
    return generator.generateKeyPair();
  }

  private static String rs256(KeyPair pair, byte[] input) throws Exception {
    return sign("SHA256withRSA", pair, input);
  }

  private static String sign(String algorithm, KeyPair pair, byte[] input) throws Exception {
    Signature s = Signature.getInstance(algorithm);
    s.initSign(pair.getPrivate());
    s.update(input);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
  }
}
