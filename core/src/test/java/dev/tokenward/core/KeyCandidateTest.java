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
    assertThat(key.verify("RS256", INPUT, rs256(pair, INPUT))).isFalse();
  }

  private static KeyPair generate(int bits) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(bits);
    return generator.generateKeyPair();
  }

  private static String rs256(KeyPair pair, byte[] input) throws Exception {
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(pair.getPrivate());
    s.update(input);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
  }
}
