package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.jwk.JWKSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer fuzz targets (issue 7). The property: whatever the input, only {@link TokenValidationException}
 * leaves the validator and the extractor, and nothing the fuzzer forges is ever accepted.
 *
 * <p>In the normal build ({@code mvn verify}) each target runs in regression mode over the seeds in
 * {@code src/test/resources/dev/tokenward/core/TokenFuzzTestInputs/<method>/}: a few milliseconds.
 * A real fuzzing run is opt-in, one target per run:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -pl core test -Dtest=TokenFuzzTest#validate -Djazzer.max_duration=10m
 * JAZZER_FUZZ=1 mvn -B -pl core test -Dtest=TokenFuzzTest#extract  -Djazzer.max_duration=10m
 * </pre>
 *
 * Findings are written as new files into the inputs directory, where they then run as regression
 * tests; the generated corpus goes to {@code core/.cifuzz-corpus/} (git-ignored).
 *
 * <p>Input format of {@link #validate}: the first byte picks a mode, the rest is split at NUL bytes.
 * <ul>
 *   <li>0: the rest, as Latin-1 text, is the token (raw structure, any character);
 *   <li>1: header NUL payload NUL signature, each base64url-encoded here (unsigned: reaches every header rule);
 *   <li>2: header NUL payload, MACed HS256 with the real secret (reaches the claim rules);
 *   <li>3: header NUL payload, signed RS256 with the real key {@code rsa-1}.
 * </ul>
 * In modes 0 and 1 the fuzzer has no key, so an accepted token is a forgery: a failure.
 */
class TokenFuzzTest {
  static final String ISSUER = "https://issuer.fuzz.invalid/";
  static final byte[] SECRET = "fuzz-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.US_ASCII);

  /** Static keys, HMAC secret, opaque tokens rejected: no network, ever. */
  static final AccessTokenValidator VALIDATOR = AccessTokenValidator.builder()
      .issuer(ISSUER)
      .audience(FakeIssuer.AUDIENCE)
      .algorithms("RS256", "ES256", "HS256")
      .keys(new JWKSet(List.of(FakeIssuer.rsaKey(0).toPublicJWK(), FakeIssuer.ecKey().toPublicJWK())))
      .hmacSecret(SECRET)
      .tokenCache(1_000, java.time.Duration.ofMinutes(5))
      .build();

  @FuzzTest(maxDuration = "5m")
  void validate(byte[] data) {
    if (data.length == 0) {
      return;
    }
    int mode = (data[0] & 0xff) % 4;
    byte[] rest = Arrays.copyOfRange(data, 1, data.length);
    List<byte[]> parts = splitAtNul(rest, 3);
    String token = switch (mode) {
      case 0 -> new String(rest, StandardCharsets.ISO_8859_1);
      case 1 -> Forge.b64(parts.get(0)) + "." + Forge.b64(parts.get(1)) + "." + Forge.b64(parts.get(2));
      case 2 -> signed(parts, true);
      default -> signed(parts, false);
    };
    try {
      VerifiedToken verified = VALIDATOR.validate(token);
      if (mode <= 1) {
        throw new AssertionError("accepted a token the fuzzer forged without a key: " + verified);
      }
      // accepted: it must really meet the rules it passed
      assertThat(verified.issuer()).isEqualTo(ISSUER);
      assertThat(verified.audiences()).contains(FakeIssuer.AUDIENCE);
      assertThat(verified.expiresAt()).isPresent();
      assertThat(verified.algorithm()).get().isIn("HS256", "RS256");
    } catch (TokenValidationException e) {
      checkRefusal(e);
    }
  }

  /**
   * The Authorization header (and, enabled here, query and form values) as a filter hands them over:
   * the rest of the input split at NUL bytes, the first byte saying how many go to each place. An
   * extracted token then goes through the validator, as in a real request.
   */
  @FuzzTest(maxDuration = "5m")
  void extract(byte[] data) {
    if (data.length == 0) {
      return;
    }
    int counts = data[0] & 0xff;
    List<byte[]> parts = splitAtNul(Arrays.copyOfRange(data, 1, data.length), Integer.MAX_VALUE);
    List<String> values = new ArrayList<>();
    for (byte[] p : parts) {
      values.add(new String(p, StandardCharsets.ISO_8859_1));
    }
    int headers = Math.min(counts & 0x3, values.size());
    int query = Math.min((counts >> 2) & 0x3, values.size() - headers);
    int form = Math.min((counts >> 4) & 0x3, values.size() - headers - query);
    List<String> h = values.subList(0, headers);
    List<String> q = values.subList(headers, headers + query);
    List<String> f = values.subList(headers + query, headers + query + form);
    BearerTokenExtractor extractor = (counts & 0x40) != 0 ? BearerTokenExtractor.of(true, true) : BearerTokenExtractor.headerOnly();
    try {
      String token = extractor.extract(h, q, f).orElse(null);
      if (token == null) {
        return;
      }
      assertThat(token).isNotEmpty().matches("[A-Za-z0-9\\-._~+/]+=*");
      try {
        VALIDATOR.validate(token);
        throw new AssertionError("accepted a token the fuzzer forged without a key");
      } catch (TokenValidationException e) {
        checkRefusal(e);
      }
    } catch (TokenValidationException e) {
      assertThat(e.reason()).isEqualTo(Reason.INVALID_REQUEST);
      BearerErrorResponse answer = BearerErrorResponse.of(e, "fuzz");
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.challenge()).doesNotContain("\r", "\n");
    }
  }

  /** Every refusal must be well-formed: a reason, a safe description and a consistent RFC 6750 answer. */
  private static void checkRefusal(TokenValidationException e) {
    assertThat(e.reason()).isNotNull().isNotIn(Reason.ISSUER_UNAVAILABLE, Reason.INVALID_REQUEST, Reason.MISSING_TOKEN);
    assertThat(e.description()).isNotEmpty().doesNotContain("\r", "\n");
    BearerErrorResponse answer = BearerErrorResponse.of(e, "fuzz");
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.challenge()).doesNotContain("\r", "\n");
  }

  private static String signed(List<byte[]> parts, boolean hmac) {
    String input = Forge.b64(parts.get(0)) + "." + Forge.b64(parts.get(1));
    byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
    if (hmac) {
      return input + "." + Forge.b64(Forge.hmacSha256(SECRET, bytes));
    }
    try {
      java.security.Signature s = java.security.Signature.getInstance("SHA256withRSA");
      s.initSign(FakeIssuer.rsaKey(0).toPrivateKey());
      s.update(bytes);
      return input + "." + Forge.b64(s.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Splits at NUL bytes into at most {@code max} parts, padding with empty parts up to three. */
  static List<byte[]> splitAtNul(byte[] data, int max) {
    List<byte[]> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < data.length && parts.size() < max - 1; i++) {
      if (data[i] == 0) {
        parts.add(Arrays.copyOfRange(data, start, i));
        start = i + 1;
      }
    }
    parts.add(Arrays.copyOfRange(data, start, data.length));
    while (parts.size() < 3) {
      parts.add(new byte[0]);
    }
    return parts;
  }
}
