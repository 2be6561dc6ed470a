package dev.tokenward.benchmarks;

import com.nimbusds.jose.*;
import com.nimbusds.jose.crypto.*;
import com.nimbusds.jose.jwk.*;
import com.nimbusds.jose.jwk.gen.*;
import com.nimbusds.jwt.*;
import dev.tokenward.core.AccessTokenValidator;
import java.lang.management.ManagementFactory;
import java.security.Signature;
import java.util.*;

/**
 * ES256 on the JDK it runs on: CPU time per verification of the bare JCA check ({@code SHA256withECDSA}, after the
 * JOSE to DER conversion) and of tokenward with its token cache off, interleaved in chunks of 64 tokens and each
 * chunk timed by the thread's CPU clock, so both meet the same load on a shared machine. Two warm-up passes over
 * 2,048 distinct Auth0-shaped tokens, then {@code rounds - 2} measured passes.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dev.tokenward.benchmarks.Es256CpuTime [rounds]
 *   /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp benchmarks/target/benchmarks.jar dev.tokenward.benchmarks.Es256CpuTime
 * </pre>
 */
public final class Es256CpuTime {
  private Es256CpuTime() {
  }

  /** Prints one line: the JDK, CPU µs per verification for each, their ratio. */
  public static void main(String[] a) throws Exception {
    int n = 2048;
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    String iss = "https://issuer.example/";
    String aud = "https://api.tokenward.dev";
    String[] tokens = new String[n];
    long now = System.currentTimeMillis() / 1000;
    JWSSigner signer = new ECDSASigner(key);
    for (int i = 0; i < n; i++) {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").type(new JOSEObjectType("at+jwt")).build(),
          new JWTClaimsSet.Builder().issuer(iss).audience(List.of(aud, iss + "userinfo")).subject("auth0|" + i)
              .claim("azp", "client").claim("scope", "read:messages write:messages").claim("permissions", List.of("read:messages"))
              .issueTime(new Date(now * 1000)).expirationTime(new Date((now + 86400) * 1000)).build());
      jwt.sign(signer);
      tokens[i] = jwt.serialize();
    }
    AccessTokenValidator v = AccessTokenValidator.builder().issuer(iss).audience(aud).algorithms("ES256")
        .keys(new JWKSet(key.toPublicJWK())).disableTokenCache().build();
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initVerify(key.toECPublicKey());
    com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long floorCpu = 0, twCpu = 0, count = 0;
    int rounds = Integer.parseInt(a.length > 0 ? a[0] : "6");
    for (int r = 0; r < rounds; r++) {
      boolean measure = r >= 2; // two rounds of warm-up
      for (int c = 0; c < n; c += 64) {
        long t0 = t.getCurrentThreadCpuTime();
        for (int i = c; i < c + 64; i++) {
          String tok = tokens[i];
          int dot = tok.lastIndexOf('.');
          byte[] der = com.nimbusds.jose.crypto.impl.ECDSA.transcodeSignatureToDER(Base64.getUrlDecoder().decode(tok.substring(dot + 1)));
          s.update(tok.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, dot);
          if (!s.verify(der)) throw new IllegalStateException("floor");
        }
        long t1 = t.getCurrentThreadCpuTime();
        for (int i = c; i < c + 64; i++) {
          if (v.validate(tokens[i]) == null) throw new IllegalStateException("tokenward");
        }
        long t2 = t.getCurrentThreadCpuTime();
        if (measure) { floorCpu += t1 - t0; twCpu += t2 - t1; count += 64; }
      }
    }
    System.out.printf("%s: ES256 CPU per verification: floor %.1f us, tokenward (cache off) %.1f us, ratio floor/tokenward %.3f (%d each)%n",
        System.getProperty("java.version"), floorCpu / 1e3 / count, twCpu / 1e3 / count, (double) floorCpu / twCpu, count);
    v.close();
  }
}
