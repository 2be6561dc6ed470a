package dev.tokenward.core;

import static dev.tokenward.core.Forge.b64;
import static dev.tokenward.core.Forge.json;
import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The adversarial catalogue (issue 7): one test per known attack on JWT validation, each asserting
 * the exact {@link Reason}. Where the reason is not obvious, a comment says why it is the right one.
 *
 * <p>Nothing here needs a network beyond loopback MockWebServers; where an attack names a URL, a
 * second server plays the attacker and must never receive a request.
 */
class AttackCatalogueTest {
  private static final String JWKS_PATH = "/.well-known/jwks.json";
  private static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
  /** The order n of P-256: a valid ECDSA r or s lies in [1, n-1]. */
  private static final BigInteger P256_ORDER =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
  private static final byte[] HMAC_SECRET = "a-real-32-byte-secret-for-hs256!".getBytes(StandardCharsets.US_ASCII);

  private static RSAKey attackerKey;

  private final FakeIssuer issuer = new FakeIssuer();
  private final AccessTokenValidator rs256 = AccessTokenValidator.builder()
      .issuer(issuer.issuer())
      .audience(FakeIssuer.AUDIENCE)
      .build();

  @BeforeAll
  static void attackerKey() throws Exception {
    attackerKey = new RSAKeyGenerator(2048).keyID("attacker-1").generate();
  }

  @AfterEach
  void stop() throws Exception {
    issuer.close();
  }

  private AccessTokenValidator es256() {
    return AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE).algorithms("ES256").build();
  }

  private AccessTokenValidator rs256AndHs256() {
    return AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .algorithms("RS256", "HS256").hmacSecret(HMAC_SECRET).build();
  }

  private Set<String> pathsRequested() {
    return issuer.requests().stream().map(r -> r.getRequestUrl().encodedPath()).collect(Collectors.toSet());
  }

  private Map<String, Object> header(String alg, String kid) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("alg", alg);
    h.put("typ", "at+jwt");
    if (kid != null) {
      h.put("kid", kid);
    }
    return h;
  }

  private String claimsJson() {
    return json(Forge.claims(issuer.issuer()));
  }

  // ---------------------------------------------------------------- alg none

  @ParameterizedTest
  @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
  void algNoneWithSignatureIsDisallowedInAnySpelling(String none) {
    String token = issuer.jwt().header("alg", none).unsigned("c2lnbmF0dXJl");
    assertRefused(() -> rs256.validate(token), Reason.DISALLOWED_ALGORITHM);
    assertThat(issuer.requests()).as("refused before any key is looked up").isEmpty();
  }

  // An unsigned JWS ("h.p." with an empty signature) is refused by structure before its header is
  // acted on: an empty segment is MALFORMED whatever the header says. That is the stronger guarantee.
  @ParameterizedTest
  @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
  void algNoneWithoutSignatureIsMalformed(String none) {
    String token = issuer.jwt().header("alg", none).unsigned("");
    assertRefused(() -> rs256.validate(token), Reason.MALFORMED);
    assertThat(issuer.requests()).isEmpty();
  }

  @Test
  void algNoneIsRefusedEvenWhenTheValidatorAllowsHmac() {
    String token = issuer.jwt().header("alg", "none").header("kid", null).unsigned("AA");
    assertRefused(() -> rs256AndHs256().validate(token), Reason.DISALLOWED_ALGORITHM);
  }

  // ------------------------------------------------------- algorithm spelling

  // The allow-list is compared exactly: "rs256" and "RS256 " are different JWS algorithms (RFC 7515
  // names are case-sensitive), so a lenient spelling must not slip past it.
  @ParameterizedTest
  @ValueSource(strings = {"rs256", "RS256 ", " RS256", "RS256\u0000", "PS256", "ES256", "HS256"})
  void algorithmNotExactlyAllowedIsDisallowed(String alg) {
    String token = issuer.jwt().header("alg", alg).unsigned("c2ln");
    assertRefused(() -> rs256.validate(token), Reason.DISALLOWED_ALGORITHM);
  }

  @Test
  void algorithmThatIsNotAStringIsMalformed() {
    String token = issuer.jwt().header("alg", List.of("RS256")).unsigned("c2ln");
    assertRefused(() -> rs256.validate(token), Reason.MALFORMED);
  }

  // ------------------------------------------------------ RS/HS confusion

  /** The RSA public key in every form an attacker might hope the HMAC verifier uses as its secret. */
  static Stream<Arguments> publicKeyAsHmacSecret() throws Exception {
    RSAKey pub = FakeIssuer.rsaKey(0).toPublicJWK();
    byte[] der = pub.toRSAPublicKey().getEncoded();
    return Stream.of(
        Arguments.of("PEM text", Forge.pem(der).getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("PEM text without trailing newline", Forge.pem(der).strip().getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("DER bytes", der),
        Arguments.of("JWK JSON", pub.toJSONString().getBytes(StandardCharsets.UTF_8)),
        Arguments.of("JWKS JSON", new JWKSet(pub).toString(true).getBytes(StandardCharsets.UTF_8)),
        Arguments.of("modulus bytes", pub.getModulus().decode()),
        Arguments.of("modulus base64url text", pub.getModulus().toString().getBytes(StandardCharsets.US_ASCII)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("publicKeyAsHmacSecret")
  void hs256MacedWithThePublicKeyIsDisallowedByAnRs256Validator(String form, byte[] secret) {
    String token = Forge.hs256(json(header("HS256", "rsa-1")), claimsJson(), secret);
    assertRefused(() -> rs256.validate(token), Reason.DISALLOWED_ALGORITHM);
    assertThat(issuer.requests()).as("the alg check comes before any key is fetched").isEmpty();
  }

  // With HS256 allowed, the token reaches the MAC check, which uses only the configured secret and
  // never a JWKS key (not even the one its kid names), so it is a bad signature.
  @ParameterizedTest(name = "{0}")
  @MethodSource("publicKeyAsHmacSecret")
  void hs256MacedWithThePublicKeyIsABadSignatureEvenWhenHs256IsAllowed(String form, byte[] secret) {
    AccessTokenValidator validator = rs256AndHs256();
    String token = Forge.hs256(json(header("HS256", "rsa-1")), claimsJson(), secret);
    assertRefused(() -> validator.validate(token), Reason.BAD_SIGNATURE);
    assertThat(issuer.jwksHits()).as("HMAC verification never consults the JWKS").isZero();
  }

  @Test
  void hs256MacedWithTheRealSecretStillPassesSoTheConfusionTestsAreMeaningful() throws Exception {
    String token = Forge.hs256(json(header("HS256", null)), claimsJson(), HMAC_SECRET);
    assertThat(rs256AndHs256().validate(token).subject()).isEqualTo("auth0|attacker");
  }

  // ------------------------------------------------------------------ ECDSA

  private static String rs(BigInteger r, BigInteger s) {
    return b64(concat(fixed(r, 32), fixed(s, 32)));
  }

  private static byte[] fixed(BigInteger v, int len) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[len];
    int n = Math.min(raw.length, len);
    System.arraycopy(raw, raw.length - n, out, len - n, n);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static Stream<Arguments> invalidEcdsaSignatures() {
    BigInteger n = P256_ORDER;
    BigInteger valid = BigInteger.valueOf(0x1234_5678_9abcL).shiftLeft(200);
    BigInteger max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    return Stream.of(
            Arguments.of("64 zero bytes (CVE-2022-21449 psychic signature)", (Function<byte[], String>) v -> b64(new byte[64])),
            Arguments.of("r = 0, s valid", (Function<byte[], String>) v -> b64(concat(new byte[32], Arrays.copyOfRange(v, 32, 64)))),
            Arguments.of("r valid, s = 0", (Function<byte[], String>) v -> b64(concat(Arrays.copyOfRange(v, 0, 32), new byte[32]))),
            Arguments.of("r = n, s = n", (Function<byte[], String>) v -> rs(n, n)),
            Arguments.of("r = n, s valid", (Function<byte[], String>) v -> b64(concat(fixed(n, 32), Arrays.copyOfRange(v, 32, 64)))),
            Arguments.of("r valid, s = n", (Function<byte[], String>) v -> b64(concat(Arrays.copyOfRange(v, 0, 32), fixed(n, 32)))),
            Arguments.of("r = n + 1", (Function<byte[], String>) v -> b64(concat(fixed(n.add(BigInteger.ONE), 32), Arrays.copyOfRange(v, 32, 64)))),
            Arguments.of("r = s = 2^256 - 1 (> n)", (Function<byte[], String>) v -> rs(max, max)),
            Arguments.of("r valid + n (same value mod n)", (Function<byte[], String>) v -> b64(concat(fixed(new BigInteger(1, Arrays.copyOfRange(v, 0, 32)).add(n).mod(BigInteger.ONE.shiftLeft(256)), 32), Arrays.copyOfRange(v, 32, 64)))),
            Arguments.of("r = 1, s = 1", (Function<byte[], String>) v -> rs(BigInteger.ONE, BigInteger.ONE)),
            Arguments.of("63 bytes (one short)", (Function<byte[], String>) v -> b64(Arrays.copyOf(v, 63))),
            Arguments.of("65 bytes (one extra)", (Function<byte[], String>) v -> b64(Arrays.copyOf(v, 65))),
            Arguments.of("128 bytes (ES512 length)", (Function<byte[], String>) v -> b64(concat(v, v))),
            Arguments.of("the valid signature DER-encoded", (Function<byte[], String>) v -> b64(der(v))),
            Arguments.of("one byte", (Function<byte[], String>) v -> b64(new byte[1])),
            Arguments.of("some other valid-looking r, s", (Function<byte[], String>) v -> rs(valid, valid)));
  }

  private static byte[] der(byte[] rs) {
    try {
      return ECDSA.transcodeSignatureToDER(rs);
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidEcdsaSignatures")
  void invalidEcdsaSignatureIsABadSignature(String shape, Function<byte[], String> forge) throws Exception {
    AccessTokenValidator validator = es256();
    String genuine = issuer.jwt().signWith(FakeIssuer.ecKey()).sign();
    byte[] signature = new Base64URL(Forge.split(genuine)[2]).decode();
    assertThat(validator.validate(genuine).subject()).as("the genuine ES256 token verifies").isEqualTo("auth0|user-1");

    String forged = Forge.withSignature(issuer.jwt().signWith(FakeIssuer.ecKey()).claim("scope", "admin")
        .sign(), forge.apply(signature));
    assertRefused(() -> validator.validate(forged), Reason.BAD_SIGNATURE);
  }

  // ----------------------------------------------------- keys and key ids

  @Test
  void knownKidWithAForeignKeyIsABadSignature() {
    String token = Forge.rs256(json(header("RS256", "rsa-1")), claimsJson(), attackerKey);
    assertRefused(() -> rs256.validate(token), Reason.BAD_SIGNATURE);
  }

  // ec-1 exists but is an EC key: no key with that kid fits RS256, so the key is unknown for this
  // token, even though the kid itself is known. It must not fall back to trying other keys.
  @Test
  void kidOfAKeyOfAnotherTypeIsAnUnknownKey() {
    String token = Forge.rs256(json(header("RS256", "ec-1")), claimsJson(), attackerKey);
    assertRefused(() -> rs256.validate(token), Reason.UNKNOWN_KEY);
  }

  // Without a kid every issuer key that fits the alg is tried; none verifies the attacker's signature.
  @Test
  void noKidAndAForeignKeyIsABadSignature() {
    String token = Forge.rs256(json(header("RS256", null)), claimsJson(), attackerKey);
    assertRefused(() -> rs256.validate(token), Reason.BAD_SIGNATURE);
  }

  @Test
  void signatureSplicedFromAnotherGenuineTokenIsABadSignature() {
    String genuine = issuer.jwt().sign();
    String elevated = issuer.jwt().claim("scope", "admin").claim("sub", "auth0|root").sign();
    String spliced = Forge.withSignature(elevated, Forge.split(genuine)[2]);
    assertRefused(() -> rs256.validate(spliced), Reason.BAD_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../dev/null", "/dev/null", "../../../../../../etc/passwd", "' OR 1=1 --",
      "x' UNION SELECT 'secret' --", "${jndi:ldap://127.0.0.1:1/a}", "http://127.0.0.1:1/jwks.json", "%00", "*"})
  void kidWithInjectionIsAnUnknownKeyAndOnlyTheJwksIsAsked(String kid) {
    String token = Forge.rs256(json(header("RS256", kid)), claimsJson(), attackerKey);
    assertRefused(() -> rs256.validate(token), Reason.UNKNOWN_KEY);
    assertThat(pathsRequested()).isSubsetOf(DISCOVERY_PATH, JWKS_PATH);
  }

  // The classic /dev/null trick MACs with an empty key, hoping the kid makes the server read an
  // empty file as the secret. The MAC check uses only the configured secret.
  @Test
  void kidDevNullWithAnEmptyHmacKeyIsABadSignature() {
    String token = Forge.hs256(json(header("HS256", "../../dev/null")), claimsJson(), new byte[0]);
    assertRefused(() -> rs256AndHs256().validate(token), Reason.BAD_SIGNATURE);
  }

  @Test
  void kidOfTenKilobytesIsMalformedBeforeAnyRequest() {
    String token = Forge.rs256(json(header("RS256", "k".repeat(10 * 1024))), claimsJson(), attackerKey);
    assertThat(token.length()).as("still under the token length limit, so the kid rule decides").isLessThan(16 * 1024);
    assertRefused(() -> rs256.validate(token), Reason.MALFORMED).hasMessageContaining("'kid'");
    assertThat(issuer.requests()).isEmpty();
  }

  @Test
  void kidThatIsNotAStringIsMalformed() {
    String token = Forge.rs256(json(Map.of("alg", "RS256", "kid", Map.of("$ne", ""))), claimsJson(), attackerKey);
    assertRefused(() -> rs256.validate(token), Reason.MALFORMED);
  }

  @Test
  void kidWithLineBreaksCannotInjectIntoTheDescriptionOrTheChallenge() {
    String kid = "x\r\nWWW-Authenticate: Basic\r\n\r\n<script>";
    String token = Forge.rs256(json(header("RS256", kid)), claimsJson(), attackerKey);
    TokenValidationException e = Forge.refusal(() -> rs256.validate(token));
    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY);
    assertThat(e.description()).doesNotContain("\r", "\n", "<script>\"");
    BearerErrorResponse answer = BearerErrorResponse.of(e, "api");
    assertThat(answer.challenge()).doesNotContain("\r", "\n");
    assertThat(answer.headers().values()).allSatisfy(v -> assertThat(v).doesNotContain("\r", "\n"));
  }

  // ------------------------------------- header-supplied keys and key URLs

  @Test
  void jkuPointingAtTheAttackerIsIgnored() throws Exception {
    try (MockWebServer attacker = attackerServer()) {
      Map<String, Object> h = header("RS256", "attacker-1");
      h.put("jku", attacker.url("/jwks.json").toString());
      String token = Forge.rs256(json(h), claimsJson(), attackerKey);
      // the attacker's kid is not the issuer's, and the jku is never followed: an unknown key
      assertRefused(() -> rs256.validate(token), Reason.UNKNOWN_KEY);
      assertThat(attacker.getRequestCount()).as("requests to the jku").isZero();
    }
  }

  @Test
  void jkuWithTheIssuersOwnKidIsABadSignature() throws Exception {
    try (MockWebServer attacker = attackerServer()) {
      Map<String, Object> h = header("RS256", "rsa-1");
      h.put("jku", attacker.url("/jwks.json").toString());
      String token = Forge.rs256(json(h), claimsJson(), attackerKey);
      assertRefused(() -> rs256.validate(token), Reason.BAD_SIGNATURE);
      assertThat(attacker.getRequestCount()).isZero();
    }
  }

  @Test
  void jkuOnTheTrustedHostButAnotherPathIsIgnored() {
    Map<String, Object> h = header("RS256", "attacker-1");
    h.put("jku", issuer.url("/uploads/attacker/jwks.json"));
    String token = Forge.rs256(json(h), claimsJson(), attackerKey);
    assertRefused(() -> rs256.validate(token), Reason.UNKNOWN_KEY);
    assertThat(issuer.hits("/uploads/attacker/jwks.json")).isZero();
    assertThat(pathsRequested()).isSubsetOf(DISCOVERY_PATH, JWKS_PATH);
  }

  @Test
  void x5uPointingAtTheAttackerIsIgnored() throws Exception {
    try (MockWebServer attacker = attackerServer()) {
      X509Certificate cert = Forge.attackerCertificate();
      Map<String, Object> h = header("RS256", "attacker-cert");
      h.put("x5u", attacker.url("/cert.pem").toString());
      String token = Forge.rs256(json(h), claimsJson(), Forge.attackerCertificateKey());
      assertRefused(() -> rs256.validate(token), Reason.UNKNOWN_KEY);
      assertThat(attacker.getRequestCount()).as("requests to the x5u").isZero();
      assertThat(cert.getSubjectX500Principal().getName()).contains("attacker");
    }
  }

  @Test
  void embeddedJwkThatSignedTheTokenIsIgnored() throws Exception {
    try (MockWebServer attacker = attackerServer()) {
      Map<String, Object> h = header("RS256", "attacker-1");
      Map<String, Object> jwk = new LinkedHashMap<>(attackerKey.toPublicJWK().toJSONObject());
      jwk.put("x5u", attacker.url("/cert.pem").toString());
      h.put("jwk", jwk);
      String token = Forge.rs256(json(h), claimsJson(), attackerKey);
      assertRefused(() -> rs256.validate(token), Reason.UNKNOWN_KEY);
      assertThat(attacker.getRequestCount()).isZero();
    }
  }

  @Test
  void embeddedJwkWithTheIssuersKidIsABadSignature() throws Exception {
    Map<String, Object> h = header("RS256", "rsa-1");
    Map<String, Object> jwk = new LinkedHashMap<>(new RSAKey.Builder(attackerKey.toRSAPublicKey()).keyID("rsa-1").build()
        .toJSONObject());
    h.put("jwk", jwk);
    String token = Forge.rs256(json(h), claimsJson(), attackerKey);
    assertRefused(() -> rs256.validate(token), Reason.BAD_SIGNATURE);
  }

  // x5c carries the attacker's self-signed certificate whose key signed the token. Without a kid, all
  // of the issuer's RS256 keys are tried and none verifies: a bad signature. The chain is never read.
  @Test
  void x5cWithTheAttackersCertificateIsIgnored() throws Exception {
    try (MockWebServer attacker = attackerServer()) {
      PrivateKey certKey = Forge.attackerCertificateKey();
      Map<String, Object> h = header("RS256", null);
      h.put("x5c", Forge.x5c(Forge.attackerCertificate()));
      h.put("x5u", attacker.url("/cert.pem").toString());
      String token = Forge.rs256(json(h), claimsJson(), certKey);
      assertRefused(() -> rs256.validate(token), Reason.BAD_SIGNATURE);
      assertThat(attacker.getRequestCount()).isZero();
    }
  }

  @Test
  void headerKeyUrlsOnAnUntrustedIssuerAreNeverFollowed() throws Exception {
    try (MockWebServer attacker = attackerServer()) {
      Map<String, Object> h = header("RS256", "attacker-1");
      h.put("jku", attacker.url("/jwks.json").toString());
      Map<String, Object> c = Forge.claims(attacker.url("/").toString());
      String token = Forge.rs256(json(h), json(c), attackerKey);
      assertRefused(() -> rs256.validate(token), Reason.WRONG_ISSUER);
      assertThat(attacker.getRequestCount()).isZero();
      assertThat(issuer.requests()).isEmpty();
    }
  }

  private static MockWebServer attackerServer() throws Exception {
    MockWebServer attacker = new MockWebServer();
    attacker.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
      @Override
      public okhttp3.mockwebserver.MockResponse dispatch(RecordedRequest request) {
        return FakeIssuer.json(new JWKSet(attackerKey.toPublicJWK()).toString(true));
      }
    });
    attacker.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
    return attacker;
  }

  // ------------------------------------------------------- crit and b64

  @Test
  void critListingAnExtensionIsUnsupported() {
    String token = issuer.jwt().header("crit", List.of("http://attacker/skip-checks")).header("http://attacker/skip-checks", true)
        .sign();
    assertRefused(() -> rs256.validate(token), Reason.UNSUPPORTED_HEADER);
  }

  @Test
  void critEmptyOrMalformedIsUnsupported() {
    assertRefused(() -> rs256.validate(issuer.jwt().header("crit", List.of()).sign()), Reason.UNSUPPORTED_HEADER);
    assertRefused(() -> rs256.validate(issuer.jwt().header("crit", "exp").sign()), Reason.UNSUPPORTED_HEADER);
  }

  @Test
  void b64FalseIsUnsupported() {
    assertRefused(() -> rs256.validate(issuer.jwt().header("b64", false).header("crit", List.of("b64")).sign()),
        Reason.UNSUPPORTED_HEADER);
    assertRefused(() -> rs256.validate(issuer.jwt().header("b64", false).sign()), Reason.UNSUPPORTED_HEADER);
  }

  // ------------------------------------------------------ JWE and nesting

  // A JWE is five segments; tokenward never decrypts, so under the default REJECT policy it is an
  // opaque token, and the description says it is a JWE.
  @Test
  void jweIsRejectedAsOpaque() {
    String jwe = b64("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\",\"kid\":\"rsa-1\"}") + ".ZW5jcnlwdGVka2V5.aXY.Y2lwaGVy.dGFn";
    assertRefused(() -> rs256.validate(jwe), Reason.OPAQUE_REJECTED).hasMessageContaining("JWE");
    assertThat(issuer.requests()).isEmpty();
  }

  @Test
  void jweHeaderSqueezedIntoThreeSegmentsIsMalformed() {
    String token = issuer.jwt().header("enc", "A256GCM").header("alg", "dir").unsigned("c2ln");
    assertRefused(() -> rs256.validate(token), Reason.MALFORMED);
  }

  // The issuer genuinely signed the outer token, whose payload is another (unsigned, elevated) JWT:
  // tokenward never unwraps cty JWT, and a payload that is not a JSON object is MALFORMED.
  @Test
  void nestedJwtIsMalformedAndNeverUnwrapped() {
    String inner = b64("{\"alg\":\"none\"}") + "." + b64(json(Forge.claims(issuer.issuer()))) + ".";
    Map<String, Object> h = header("RS256", "rsa-1");
    h.put("cty", "JWT");
    String outer = Forge.rs256(json(h), inner, FakeIssuer.rsaKey(0));
    assertRefused(() -> rs256.validate(outer), Reason.MALFORMED);
  }

  // -------------------------------------------------- duplicate JSON members

  // A duplicate member is ambiguous: two parsers may pick different values (RFC 7515 section 5.2 and
  // RFC 8725 section 3.? ask to reject). The token is genuinely signed, so only the parser decides.
  @ParameterizedTest
  @ValueSource(strings = {
      "{\"alg\":\"RS256\",\"alg\":\"none\",\"kid\":\"rsa-1\"}",
      "{\"alg\":\"none\",\"alg\":\"RS256\",\"kid\":\"rsa-1\"}",
      "{\"alg\":\"RS256\",\"kid\":\"attacker-1\",\"kid\":\"rsa-1\"}",
      "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"x\"],\"crit\":null}"})
  void duplicateHeaderMemberIsMalformed(String headerJson) {
    String token = Forge.rs256(headerJson, claimsJson(), FakeIssuer.rsaKey(0));
    assertRefused(() -> rs256.validate(token), Reason.MALFORMED);
  }

  static Stream<String> duplicatePayloads() {
    return Stream.of("\"aud\":\"https://other.api\",\"aud\":\"" + FakeIssuer.AUDIENCE + "\"",
        "\"exp\":1,\"exp\":" + (Instant.now().getEpochSecond() + 3600),
        "\"sub\":\"auth0|user-1\",\"sub\":\"auth0|root\"",
        "\"iss\":\"https://evil.example/\",\"iss\":\"ISSUER\"");
  }

  @ParameterizedTest
  @MethodSource("duplicatePayloads")
  void duplicatePayloadMemberIsMalformed(String members) {
    long now = Instant.now().getEpochSecond();
    String payload = ("{\"iss\":\"ISSUER\",\"aud\":\"" + FakeIssuer.AUDIENCE + "\",\"iat\":" + now + ",\"exp\":" + (now + 3600)
        + ",\"sub\":\"a\"," + members + "}").replace("ISSUER", issuer.issuer());
    String token = Forge.rs256(json(header("RS256", "rsa-1")), payload, FakeIssuer.rsaKey(0));
    assertRefused(() -> rs256.validate(token), Reason.MALFORMED);
  }

  // RFC 7519 section 4 lets a parser keep the lexically last of duplicate members. tokenward refuses
  // duplicates at the top level of header and claims (what its rules read); inside a nested claim
  // object the parser deterministically keeps the last one, and this pins that behaviour (a change of
  // JSON library must not silently switch to "first wins", which another service might not share).
  @Test
  void duplicateMemberInsideANestedClaimKeepsTheLastValue() throws Exception {
    long now = Instant.now().getEpochSecond();
    String payload = ("{\"iss\":\"ISSUER\",\"aud\":\"" + FakeIssuer.AUDIENCE + "\",\"iat\":" + now + ",\"exp\":"
        + (now + 3600) + ",\"https://tokenward.test/app\":{\"role\":\"admin\",\"role\":\"user\"}}")
        .replace("ISSUER", issuer.issuer());
    String token = Forge.rs256(json(header("RS256", "rsa-1")), payload, FakeIssuer.rsaKey(0));
    assertThat(rs256.validate(token).claim("https://tokenward.test/app")).contains(Map.of("role", "user"));
  }

  // The JSON parser underneath also reads an array of [name, value] pairs as an object (a Gson map
  // feature). RFC 7515 and RFC 7519 require a JSON object, so such a header or payload is MALFORMED
  // even when the issuer's key really signed it: no second spelling of a header may exist.
  @Test
  void headerWrittenAsAnArrayOfPairsIsMalformed() {
    String token = Forge.rs256("[[\"alg\",\"RS256\"],[\"kid\",\"rsa-1\"]]", claimsJson(), FakeIssuer.rsaKey(0));
    assertRefused(() -> rs256.validate(token), Reason.MALFORMED);
  }

  @Test
  void payloadWrittenAsAnArrayOfPairsIsMalformed() {
    StringBuilder pairs = new StringBuilder("[");
    Forge.claims(issuer.issuer()).forEach((k, v) -> pairs.append(pairs.length() > 1 ? "," : "")
        .append("[\"").append(k).append("\",").append(v instanceof String ? "\"" + v + "\"" : v).append(']'));
    String token = Forge.rs256(json(header("RS256", "rsa-1")), pairs.append(']').toString(), FakeIssuer.rsaKey(0));
    assertRefused(() -> rs256.validate(token), Reason.MALFORMED);
    String empty = Forge.rs256(json(header("RS256", "rsa-1")), "[]", FakeIssuer.rsaKey(0));
    assertRefused(() -> rs256.validate(empty), Reason.MALFORMED);
  }

  // ------------------------------------------------------------ claim types

  @Test
  void expAsAStringIsMalformed() {
    String exp = String.valueOf(Instant.now().getEpochSecond() + 3600);
    assertRefused(() -> rs256.validate(issuer.jwt().claim("exp", exp).sign()), Reason.MALFORMED);
  }

  // RFC 7519 section 2 lets a NumericDate be non-integer, so a fractional exp in the future is
  // accepted; one in the past (beyond the skew) is expired, fractions rounded towards the past.
  @Test
  void expAsAFloatIsADateNotATrick() throws Exception {
    double now = Instant.now().getEpochSecond();
    assertThat(rs256.validate(issuer.jwt().claim("exp", now + 3600.5).sign()).expiresAt())
        .isNotNull();
    assertRefused(() -> rs256.validate(issuer.jwt().claim("exp", now - 60.5).sign()), Reason.EXPIRED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"exp", "nbf", "iat"})
  void dateOutOfRangeIsMalformed(String claim) {
    assertRefused(() -> rs256.validate(issuer.jwt().claim(claim, 1e30).sign()), Reason.MALFORMED);
    assertRefused(() -> rs256.validate(issuer.jwt().claim(claim, Long.MAX_VALUE).sign()), Reason.MALFORMED);
    assertRefused(() -> rs256.validate(issuer.jwt().claim(claim, -1).sign()), Reason.MALFORMED);
    assertRefused(() -> rs256.validate(issuer.jwt().claim(claim, true).sign()), Reason.MALFORMED);
    assertRefused(() -> rs256.validate(issuer.jwt().claim(claim, List.of(1)).sign()), Reason.MALFORMED);
  }

  @Test
  void issuerOfTheWrongTypeIsMalformedAndAudienceOfTheWrongTypeToo() {
    assertRefused(() -> rs256.validate(issuer.jwt().claim("iss", List.of(issuer.issuer())).sign()), Reason.MALFORMED);
    assertRefused(() -> rs256.validate(issuer.jwt().claim("aud", Map.of("aud", FakeIssuer.AUDIENCE)).sign()),
        Reason.MALFORMED);
  }

  // -------------------------------------------------------- segments, base64

  // Anything that is not three segments is not a JWS: with the default REJECT policy it is an
  // opaque token and refused as such (with USERINFO it would be asked about, never parsed).
  @ParameterizedTest
  @ValueSource(ints = {2, 4, 6})
  void wrongNumberOfSegmentsIsAnOpaqueTokenRefused(int segments) {
    String[] parts = Forge.split(issuer.jwt().sign());
    StringBuilder token = new StringBuilder(parts[0]);
    for (int i = 1; i < segments; i++) {
      token.append('.').append(parts[Math.min(i, 2)]);
    }
    assertRefused(() -> rs256.validate(token.toString()), Reason.OPAQUE_REJECTED);
    assertThat(issuer.requests()).isEmpty();
  }

  static Stream<Arguments> badEncodings() {
    return Stream.of(
        Arguments.of("standard base64 '+' and '/'", (Function<String, String>) t -> t.replace('-', '+').replace('_', '/') + "+/"),
        Arguments.of("'=' padding on the header", (Function<String, String>) t -> t.replaceFirst("\\.", "==.")),
        Arguments.of("'=' padding on the signature", (Function<String, String>) t -> t + "="),
        Arguments.of("a space inside", (Function<String, String>) t -> t.substring(0, 10) + " " + t.substring(10)),
        Arguments.of("a leading space", (Function<String, String>) t -> " " + t),
        Arguments.of("a trailing newline", (Function<String, String>) t -> t + "\n"),
        Arguments.of("a tab in the payload", (Function<String, String>) t -> t.replaceFirst("\\.", ".\t")),
        Arguments.of("a NUL", (Function<String, String>) t -> t + "\u0000"),
        Arguments.of("non-ASCII", (Function<String, String>) t -> t.replaceFirst("e", "\u00e9")),
        Arguments.of("fullwidth letters", (Function<String, String>) t -> t.replaceFirst("e", "\uff45")),
        Arguments.of("a header of 4k+1 characters", (Function<String, String>) t -> "eyJhbGciOiJSUzI1NiJ9A" + t.substring(t.indexOf('.'))),
        Arguments.of("an empty header", (Function<String, String>) t -> t.substring(t.indexOf('.'))),
        Arguments.of("an empty payload", (Function<String, String>) t -> t.substring(0, t.indexOf('.') + 1) + t.substring(t.lastIndexOf('.'))),
        Arguments.of("just dots", (Function<String, String>) t -> ".."),
        Arguments.of("a header that is a JSON array", (Function<String, String>) t -> b64("[\"RS256\"]") + t.substring(t.indexOf('.'))),
        Arguments.of("a header that is JSON null", (Function<String, String>) t -> b64("null") + t.substring(t.indexOf('.'))),
        Arguments.of("a payload that is JSON null", (Function<String, String>) t -> t.substring(0, t.indexOf('.') + 1) + b64("null") + t.substring(t.lastIndexOf('.'))),
        Arguments.of("a header that is not JSON", (Function<String, String>) t -> b64("alg=RS256") + t.substring(t.indexOf('.'))),
        Arguments.of("a header with a trailing second object", (Function<String, String>) t -> b64("{\"alg\":\"RS256\"}{\"alg\":\"none\"}") + t.substring(t.indexOf('.'))),
        Arguments.of("a header in UTF-16", (Function<String, String>) t -> b64("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_16)) + t.substring(t.indexOf('.'))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badEncodings")
  void badEncodingIsMalformed(String what, Function<String, String> mangle) {
    String token = mangle.apply(issuer.jwt().sign());
    assertRefused(() -> rs256.validate(token), Reason.MALFORMED);
  }

  // validate(String) is public: a caller may pass a value no extractor vetted. An opaque token that
  // is not an RFC 6750 b64token cannot be a bearer token; it is MALFORMED and never sent to the
  // issuer (in a userinfo Authorization header a CR/LF would be header injection).
  @ParameterizedTest
  @ValueSource(strings = {"abc\r\nX-Injected: 1", "abc\ndef", "tok en", "caf\u00e9", "\u0000", "a\tb", "abc\"def"})
  void opaqueTokenOutsideTheB64TokenAlphabetIsMalformedAndNeverSent(String token) {
    for (OpaqueTokenPolicy policy : List.of(OpaqueTokenPolicy.USERINFO, OpaqueTokenPolicy.INTROSPECT)) {
      AccessTokenValidator.Builder b = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
          .opaqueTokens(policy);
      AccessTokenValidator validator = (policy == OpaqueTokenPolicy.INTROSPECT ? b.introspection(null, "api", "secret") : b)
          .build();
      assertRefused(() -> validator.validate(token), Reason.MALFORMED);
    }
    assertThat(pathsRequested()).doesNotContain("/userinfo", "/oauth/introspect");
  }

  // ------------------------------------------------------ size and depth

  @Test
  void oneMegabyteTokenIsRefusedBeforeDecodingAndFast() {
    String[] parts = Forge.split(issuer.jwt().sign());
    String huge = parts[0] + "." + "A".repeat(1024 * 1024) + "." + parts[2];
    String hugeOpaque = "A".repeat(1024 * 1024);
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      for (int i = 0; i < 200; i++) {
        assertRefused(() -> rs256.validate(huge), Reason.MALFORMED).hasMessageContaining("16384");
        assertRefused(() -> rs256.validate(hugeOpaque), Reason.MALFORMED);
      }
    });
    assertThat(issuer.requests()).isEmpty();
  }

  static Stream<Arguments> deepJson() {
    return Stream.of(
        Arguments.of("10 000 nested arrays in the payload", "payload", "[".repeat(10_000) + "]".repeat(10_000)),
        Arguments.of("100 000 nested arrays in the payload", "payload", "[".repeat(100_000) + "]".repeat(100_000)),
        Arguments.of("10 000 nested objects in the payload", "payload", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)),
        Arguments.of("10 000 unclosed arrays in the payload", "payload", "[".repeat(10_000)),
        Arguments.of("10 000 nested arrays in the header", "header", "[".repeat(10_000) + "]".repeat(10_000)));
  }

  // A validator with the largest allowed token length, so the depth (not the length) is what is tested.
  @ParameterizedTest(name = "{0}")
  @MethodSource("deepJson")
  void deeplyNestedJsonIsMalformedNotAStackOverflow(String what, String where, String deep) {
    AccessTokenValidator roomy = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .maxTokenLength(1024 * 1024).build();
    String claims = claimsJson();
    String headerJson = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"" + (where.equals("header") ? ",\"x\":" + deep : "") + "}";
    String payload = where.equals("payload") ? claims.substring(0, claims.length() - 1) + ",\"x\":" + deep + "}" : claims;
    String token = Forge.rs256(headerJson, payload, FakeIssuer.rsaKey(0));
    assertThat(token.length()).isLessThanOrEqualTo(1024 * 1024);
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertRefused(() -> roomy.validate(token), Reason.MALFORMED));
  }

  @Test
  void deeplyNestedJsonWithinTheDefaultLengthIsMalformedOnASmallStack() throws Exception {
    String claims = claimsJson();
    String payload = claims.substring(0, claims.length() - 1) + ",\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
    String token = Forge.rs256(json(header("RS256", "rsa-1")), payload, FakeIssuer.rsaKey(0));
    assertThat(token.length()).isLessThan(16 * 1024);
    Throwable[] failure = new Throwable[1];
    Thread small = new Thread(null, () -> {
      try {
        assertRefused(() -> rs256.validate(token), Reason.MALFORMED);
      } catch (Throwable t) {
        failure[0] = t;
      }
    }, "small-stack", 256 * 1024);
    small.start();
    small.join(10_000);
    assertThat(failure[0]).isNull();
  }

  // ------------------------------------------------------------- ID tokens

  @Test
  void idTokenForThisApiWithNonceIsAnIdToken() {
    String idToken = issuer.jwt().claim("aud", FakeIssuer.AUDIENCE).claim("nonce", "n-0S6").header("typ", "JWT").sign();
    assertRefused(() -> rs256.validate(idToken), Reason.ID_TOKEN);
  }

  @ParameterizedTest
  @ValueSource(strings = {"at_hash", "c_hash"})
  void idTokenMarkedByAHashClaimIsAnIdToken(String claim) {
    String idToken = issuer.jwt().claim("aud", "client-1").claim(claim, "77QmUPtjPfzWtF2AnpK9RQ").sign();
    assertRefused(() -> rs256.validate(idToken), Reason.ID_TOKEN);
  }

  // An ID token without nonce or hash claims cannot be told apart by its claims; its aud (the client
  // id) is not this API, so it is refused as a wrong audience, with the ID-token hint.
  @Test
  void idTokenWithoutMarkersIsAWrongAudienceWithAHint() {
    String idToken = issuer.jwt().claim("aud", "client-1").claim("scope", null).header("typ", "JWT").sign();
    assertRefused(() -> rs256.validate(idToken), Reason.WRONG_AUDIENCE).hasMessageContaining("ID token");
  }

  // ------------------------------------------------------- cross-issuer keys

  // Two trusted issuers: this one (RS256, JWKS) and another that MACs HS256 with its own secret. A
  // token claiming one issuer but signed with the other's key must fail on the claimed issuer's rules.
  @Test
  void tokensSignedWithAnotherTrustedIssuersKeyAreRefused() throws Exception {
    try (FakeIssuer other = new FakeIssuer()) {
      byte[] otherSecret = "the-other-issuers-32-byte-secret".getBytes(StandardCharsets.US_ASCII);
      AccessTokenValidator both = AccessTokenValidator.builder()
          .issuer(TrustedIssuer.builder(issuer.issuer()).audience(FakeIssuer.AUDIENCE).build())
          .issuer(TrustedIssuer.builder(other.issuer()).audience(FakeIssuer.AUDIENCE).algorithms("HS256")
              .hmacSecret(otherSecret).build())
          .build();
      // claims this issuer, MACed with the other's secret: HS256 is not allowed for this issuer
      String macedForThis = Forge.hs256(json(header("HS256", null)), claimsJson(), otherSecret);
      assertRefused(() -> both.validate(macedForThis), Reason.DISALLOWED_ALGORITHM);
      // claims the other issuer, signed with this issuer's RSA key: RS256 is not allowed for the other
      String signedForOther = Forge.rs256(json(header("RS256", "rsa-1")), json(Forge.claims(other.issuer())),
          FakeIssuer.rsaKey(0));
      assertRefused(() -> both.validate(signedForOther), Reason.DISALLOWED_ALGORITHM);
      assertThat(issuer.requests()).isEmpty();
      assertThat(other.requests()).isEmpty();
    }
  }

  @Test
  void keysOfOneIssuerNeverVerifyTokensOfAnother() throws Exception {
    try (FakeIssuer other = new FakeIssuer()) {
      other.publish(FakeIssuer.rsaKey(1));
      AccessTokenValidator both = AccessTokenValidator.builder()
          .issuer(TrustedIssuer.builder(issuer.issuer()).audience(FakeIssuer.AUDIENCE).build())
          .issuer(TrustedIssuer.builder(other.issuer()).audience(FakeIssuer.AUDIENCE).build())
          .build();
      assertThat(both.validate(issuer.jwt().sign()).issuer()).isEqualTo(issuer.issuer());
      // rsa-1 is this issuer's key, not the other's: a token claiming the other issuer cannot use it
      String token = Forge.rs256(json(header("RS256", "rsa-1")), json(Forge.claims(other.issuer())), FakeIssuer.rsaKey(0));
      assertRefused(() -> both.validate(token), Reason.UNKNOWN_KEY);
      String noKid = Forge.rs256(json(header("RS256", null)), json(Forge.claims(other.issuer())), FakeIssuer.rsaKey(0));
      assertRefused(() -> both.validate(noKid), Reason.BAD_SIGNATURE);
    }
  }

  // ------------------------------------------------------------- replays

  @Test
  void cachedTokenReplayedAfterExpiryIsExpired() throws Exception {
    ValidatorTestSupport.MutableClock clock = new ValidatorTestSupport.MutableClock();
    AccessTokenValidator validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .clock(clock).build();
    String token = issuer.jwt().claim("exp", clock.millis() / 1000 + 120).sign();
    validator.validate(token);
    clock.advanceSeconds(120 + 60);
    assertRefused(() -> validator.validate(token), Reason.EXPIRED);
  }

  // ------------------------------------------------------ DPoP (RFC 9449)

  private static final String DPOP_URI = "https://api.tokenward.test/orders";

  private String boundToClient() {
    return issuer.jwt().claim("cnf", Map.of("jkt", DpopProofs.thumbprint(DpopProofs.CLIENT_EC))).sign();
  }

  private static TokenRequest dpopRequest(String method, String uri, String token, String proof) {
    return TokenRequest.builder(method, uri).authorization("DPoP " + token).dpopProof(proof).build();
  }

  // An attacker who captured one request (token and proof) sends it again within the proof's window.
  @Test
  void dpopProofReplayedWithinTheWindowIsAReplay() throws Exception {
    String token = boundToClient();
    String proof = DpopProofs.proof("GET", DPOP_URI, token).sign();
    rs256.validate(dpopRequest("GET", DPOP_URI, token, proof));
    assertRefused(() -> rs256.validate(dpopRequest("GET", DPOP_URI, token, proof)), Reason.DPOP_PROOF_REPLAY);
  }

  // The captured proof is fresh (never used) but was made for another resource or method.
  @Test
  void dpopProofForAnotherUrlOrMethodIsRefused() {
    String token = boundToClient();
    assertRefused(() -> rs256.validate(dpopRequest("GET", "https://api.tokenward.test/admin", token,
        DpopProofs.proof("GET", DPOP_URI, token).sign())), Reason.DPOP_PROOF_URI);
    assertRefused(() -> rs256.validate(dpopRequest("DELETE", DPOP_URI, token,
        DpopProofs.proof("GET", DPOP_URI, token).sign())), Reason.DPOP_PROOF_METHOD);
  }

  // A careless client puts its private key in the header: the proof is refused, whatever it proves.
  @Test
  void dpopProofWhoseJwkHasPrivatePartsIsRefused() {
    String token = boundToClient();
    String proof = DpopProofs.proof("GET", DPOP_URI, token).header("jwk", DpopProofs.CLIENT_EC.toJSONObject()).sign();
    assertRefused(() -> rs256.validate(dpopRequest("GET", DPOP_URI, token, proof)), Reason.DPOP_PROOF_KEY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "None", "HS256"})
  void dpopProofUnsignedOrMacedIsRefusedByAlgorithm(String alg) {
    String token = boundToClient();
    DpopProofs.Proof p = DpopProofs.proof("GET", DPOP_URI, token).header("alg", alg);
    String h = b64(json(p.header));
    String c = b64(json(p.claims));
    // none with a dummy signature; HS256 MACed with the public key's x coordinate, which anyone can read
    String sig = alg.startsWith("HS")
        ? b64(Forge.hmacSha256(DpopProofs.CLIENT_EC.getX().decode(), (h + "." + c).getBytes(StandardCharsets.US_ASCII)))
        : "AA";
    assertRefused(() -> rs256.validate(dpopRequest("GET", DPOP_URI, token, h + "." + c + "." + sig)),
        Reason.DPOP_PROOF_ALGORITHM);
  }

  // An unsigned proof with an empty signature segment is refused by structure before its header is read.
  @Test
  void dpopProofWithAnEmptySignatureIsMalformed() {
    String token = boundToClient();
    DpopProofs.Proof p = DpopProofs.proof("GET", DPOP_URI, token).header("alg", "none");
    assertRefused(() -> rs256.validate(dpopRequest("GET", DPOP_URI, token, b64(json(p.header)) + "." + b64(json(p.claims))
        + ".")), Reason.DPOP_PROOF_MALFORMED);
  }

  // The attacker stole a bound token and signs fresh, well-formed proofs with its own key.
  @Test
  void dpopStolenBoundTokenWithTheAttackersOwnKeyIsAKeyMismatch() {
    String token = boundToClient();
    String proof = new DpopProofs.Proof(DpopProofs.OTHER_EC, "GET", DPOP_URI, token).sign();
    assertRefused(() -> rs256.validate(dpopRequest("GET", DPOP_URI, token, proof)), Reason.DPOP_KEY_MISMATCH);
  }

  // ... or rewrites the token's cnf.jkt to its own key: the issuer's signature covers cnf.
  @Test
  void dpopTokenRewrittenToTheAttackersKeyIsABadSignature() {
    String token = boundToClient();
    String[] parts = token.split("\\.");
    Map<String, Object> claims = new LinkedHashMap<>(Forge.claims(issuer.issuer()));
    claims.put("cnf", Map.of("jkt", DpopProofs.thumbprint(DpopProofs.OTHER_EC)));
    String forged = parts[0] + "." + b64(json(claims)) + "." + parts[2];
    String proof = new DpopProofs.Proof(DpopProofs.OTHER_EC, "GET", DPOP_URI, forged).sign();
    assertRefused(() -> rs256.validate(dpopRequest("GET", DPOP_URI, forged, proof)), Reason.BAD_SIGNATURE);
  }

  // ... or downgrades it to a bearer token, hoping the binding is only checked when DPoP is used.
  @Test
  void dpopBoundTokenDowngradedToBearerIsRefused() {
    String token = boundToClient();
    assertRefused(() -> rs256.validate(TokenRequest.builder("GET", DPOP_URI).authorization("Bearer " + token).build()),
        Reason.DPOP_TOKEN_AS_BEARER);
  }

  // A valid proof captured with one token is sent with another token of the same client.
  @Test
  void dpopProofMovedToAnotherTokenIsATokenHashMismatch() {
    String token = boundToClient();
    String other = issuer.jwt().claim("cnf", Map.of("jkt", DpopProofs.thumbprint(DpopProofs.CLIENT_EC)))
        .claim("scope", "admin:all").sign();
    String proof = DpopProofs.proof("GET", DPOP_URI, token).sign();
    assertRefused(() -> rs256.validate(dpopRequest("GET", DPOP_URI, other, proof)), Reason.DPOP_PROOF_TOKEN_HASH);
  }

  // Header-supplied key locations in a proof are never followed: the key is the jwk, and must be cnf.jkt.
  @Test
  void dpopProofJkuOrX5uIsNeverFetched() throws Exception {
    try (MockWebServer attacker = new MockWebServer()) {
      attacker.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
      String token = boundToClient();
      String proof = new DpopProofs.Proof(DpopProofs.OTHER_EC, "GET", DPOP_URI, token)
          .header("jku", attacker.url("/jwks").toString()).header("x5u", attacker.url("/cert").toString())
          .header("jwk", DpopProofs.CLIENT_EC.toPublicJWK().toJSONObject()).sign();
      assertRefused(() -> rs256.validate(dpopRequest("GET", DPOP_URI, token, proof)), Reason.DPOP_PROOF_SIGNATURE);
      assertThat(attacker.getRequestCount()).isZero();
    }
  }

  // ------------------------------------------- issue 10: fail closed everywhere
  // Each test below reproduces what the review found on 77aec1e (it failed there, as its comment
  // says) and pins the fixed behaviour. Items the catalogue cannot show in one token live in
  // OpaqueTokenSafetyTest (items 6, 9), KeyStalenessTest (8, 14) and ErrorAdviceTest (17).

  // Item 7. Nimbus RSAKey.size() counts the bytes of n, leading zeros included: a 512-bit key whose n
  // was zero-padded to 256 bytes counted as 2048 bits and verified this token (accepted on 77aec1e).
  @Test
  void rsaKeyOf512BitsPaddedToLook2048BitsLongIsNeverUsed() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(512);
    KeyPair weak = generator.generateKeyPair();
    RSAPublicKey pub = (RSAPublicKey) weak.getPublic();
    byte[] n = Base64URL.encode(pub.getModulus()).decode();
    byte[] padded = new byte[256];
    System.arraycopy(n, 0, padded, padded.length - n.length, n.length);
    RSAKey padded512 = new RSAKey.Builder(Base64URL.encode(padded), Base64URL.encode(pub.getPublicExponent()))
        .keyID("weak-1").build();
    assertThat(padded512.size()).as("what fooled the old check").isEqualTo(2048);
    issuer.publish(FakeIssuer.rsaKey(0), padded512);

    String token = Forge.rs256(json(header("RS256", "weak-1")), claimsJson(), weak.getPrivate());

    assertRefused(() -> rs256.validate(token), Reason.UNKNOWN_KEY);
    assertThat(rs256.validate(issuer.jwt().sign()).issuer()).as("the issuer's real key still works").isEqualTo(issuer.issuer());
  }

  // Item 7, second half: RFC 7518 section 6.3.1.1 forbids leading zero octets in n. A genuine 2048-bit
  // key written with one is refused too (as a static key: at build, naming the key; was accepted).
  @Test
  void rsaModulusWithALeadingZeroOctetIsRefused() {
    RSAKey real = FakeIssuer.rsaKey(0);
    byte[] n = real.getModulus().decode();
    byte[] padded = new byte[n.length + 1];
    System.arraycopy(n, 0, padded, 1, n.length);
    RSAKey zeroLed = new RSAKey.Builder(Base64URL.encode(padded), real.getPublicExponent()).keyID("zero-led").build();
    assertThatThrownBy(() -> AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .keys(new JWKSet(zeroLed)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("zero-led").hasMessageContaining("leading zero").hasMessageContaining("RFC 7518");
  }

  // The modulus and exponent are read with the JDK's strict base64url decoder (one decode instead of
  // three through nimbus's lenient codec): a member in another alphabet names the key and the member.
  @Test
  void rsaModulusThatIsNotBase64UrlIsRefusedNamingTheMember() {
    RSAKey real = FakeIssuer.rsaKey(0);
    String standardAlphabet = java.util.Base64.getEncoder().encodeToString(real.getModulus().decode());
    assertThat(standardAlphabet).as("a modulus whose standard encoding uses '+' or '/'").containsAnyOf("+", "/");
    RSAKey misencoded = new RSAKey.Builder(new Base64URL(standardAlphabet), real.getPublicExponent()).keyID("std-b64").build();
    assertThatThrownBy(() -> AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .keys(new JWKSet(misencoded)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("std-b64").hasMessageContaining("'n' is not base64url");
  }

  // A key is checked when its JWKS is read but turned into a JCA key only when a token names it. One
  // the JCA refuses (an RSA exponent of 1) is then never used: its tokens are refused, the others pass.
  @Test
  void rsaKeyTheJcaRefusesVerifiesNothingWhileTheOtherKeysStillWork() throws Exception {
    KeyPair real = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    RSAKey exponentOne = new RSAKey.Builder(Base64URL.encode(((RSAPublicKey) real.getPublic()).getModulus()),
        Base64URL.encode(java.math.BigInteger.ONE)).keyID("e-is-one").build();
    issuer.publish(FakeIssuer.rsaKey(0), exponentOne);

    String token = Forge.rs256(json(header("RS256", "e-is-one")), claimsJson(), real.getPrivate());

    assertRefused(() -> rs256.validate(token), Reason.BAD_SIGNATURE);
    assertRefused(() -> rs256.validate(token), Reason.BAD_SIGNATURE);
    assertThat(rs256.validate(issuer.jwt().sign()).issuer()).as("the issuer's real key still works").isEqualTo(issuer.issuer());
  }

  // Item 10. Any host starting with "127." counted as loopback, so http://127.attacker.example/ was
  // accepted as a plain-http issuer (and a discovered http://127.0.0.1.nip.io/jwks as an endpoint).
  // Only loopback IP literals and "localhost" are loopback now.
  @ParameterizedTest
  @ValueSource(strings = {"http://127.attacker.example/", "http://127.0.0.1.nip.io/", "http://127.0.0.1.attacker.example/"})
  void plainHttpIssuerThatOnlyStartsLikeALoopbackAddressIsRefused(String lookalike) {
    assertThatThrownBy(() -> TrustedIssuer.builder(lookalike).audience(FakeIssuer.AUDIENCE).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("loopback");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:8080/", "http://127.1.2.3/", "http://localhost:9000/", "http://LOCALHOST/",
      "http://[::1]:8080/", "http://[0:0:0:0:0:0:0:1]/"})
  void plainHttpIssuerOnALoopbackLiteralIsAllowed(String loopback) {
    assertThat(TrustedIssuer.builder(loopback).audience(FakeIssuer.AUDIENCE).build().issuer()).isEqualTo(loopback);
  }

  @Test
  void loopbackIsDecidedOnIpLiteralsWithoutAskingDns() {
    for (String host : List.of("127.attacker.example", "127.0.0.1.nip.io", "127.0.0.1.", "127.0.0.256", "1270.0.0.1",
        "localhost.attacker.example", "[::2]", "::ffff:10.0.0.1", "")) {
      assertThat(TrustedIssuer.isLoopback(host)).as(host).isFalse();
    }
    for (String host : List.of("127.0.0.1", "127.255.255.254", "localhost", "[::1]", "::1", "0:0:0:0:0:0:0:1")) {
      assertThat(TrustedIssuer.isLoopback(host)).as(host).isTrue();
    }
  }

  // Item 13. Introspection answering active:true for a refresh token was accepted as an access token.
  @ParameterizedTest
  @ValueSource(strings = {"refresh_token", "id_token", "urn:ietf:params:oauth:token-type:refresh_token", "N_A", ""})
  void introspectedTokenThatIsNotAnAccessTokenIsTheWrongType(String tokenType) {
    String opaque = "rT9vQ2mX7kL4pZ8w";
    issuer.opaque(opaque, Map.of("sub", "auth0|user-1", "token_type", tokenType));
    AccessTokenValidator validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .opaqueTokens(OpaqueTokenPolicy.INTROSPECT).introspection(null, "api", "secret").build();
    assertRefused(() -> validator.validate(opaque), Reason.WRONG_TYPE).hasMessageContaining("token_type");
  }

  @ParameterizedTest
  @ValueSource(strings = {"access_token", "Bearer", "bearer", "-"})
  void introspectedAccessTokenTypesAreAccepted(String tokenType) throws Exception {
    String opaque = "aT9vQ2mX7kL4pZ8w";
    issuer.opaque(opaque, tokenType.equals("-") ? Map.of("sub", "auth0|user-1")
        : Map.of("sub", "auth0|user-1", "token_type", tokenType));
    AccessTokenValidator validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .opaqueTokens(OpaqueTokenPolicy.INTROSPECT).introspection(null, "api", "secret").build();
    assertThat(validator.validate(opaque).subject()).isEqualTo("auth0|user-1");
  }

  // Item 11. OkHttp followed redirects to other hosts: a 307 from the introspection endpoint re-posted
  // token=... to another origin, whose "active": true was trusted (accepted on 77aec1e, and the other
  // origin saw the token). Calls that carry a token follow no redirect at all.
  @Test
  void introspectionRedirectToAnotherOriginIsNeverFollowed() throws Exception {
    try (MockWebServer elsewhere = new MockWebServer()) {
      elsewhere.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
      elsewhere.enqueue(FakeIssuer.json("{\"active\":true,\"sub\":\"attacker\"}"));
      issuer.answer("/oauth/introspect", new okhttp3.mockwebserver.MockResponse().setResponseCode(307)
          .setHeader("Location", elsewhere.url("/introspect").toString()));
      AccessTokenValidator validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
          .opaqueTokens(OpaqueTokenPolicy.INTROSPECT).introspection(null, "api", "secret").build();
      assertRefused(() -> validator.validate("x7Hk2mPq9RtY4wZ8"), Reason.ISSUER_UNAVAILABLE).hasMessageContaining("307");
      assertThat(elsewhere.getRequestCount()).isZero();
    }
  }

  @Test
  void userinfoRedirectIsNeverFollowedEvenOnTheSameOrigin() throws Exception {
    issuer.opaque("x7Hk2mPq9RtY4wZ8", Map.of("sub", "auth0|user-1"));
    issuer.answer("/moved-userinfo", FakeIssuer.json("{\"sub\":\"x\"}"));
    issuer.answer("/userinfo", new okhttp3.mockwebserver.MockResponse().setResponseCode(302)
        .setHeader("Location", issuer.url("/moved-userinfo")));
    AccessTokenValidator validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .opaqueTokens(OpaqueTokenPolicy.USERINFO).build();
    assertRefused(() -> validator.validate("x7Hk2mPq9RtY4wZ8"), Reason.ISSUER_UNAVAILABLE).hasMessageContaining("302");
    assertThat(pathsRequested()).doesNotContain("/moved-userinfo");
  }

  // Item 11 for keys: a JWKS that redirects to another origin would let that origin pick the keys. On
  // 77aec1e the redirect was followed and the attacker's token below was accepted.
  @Test
  void jwksRedirectToAnotherOriginIsNeverFollowed() throws Exception {
    try (MockWebServer elsewhere = new MockWebServer()) {
      elsewhere.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
      elsewhere.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
        @Override
        public okhttp3.mockwebserver.MockResponse dispatch(RecordedRequest request) {
          return FakeIssuer.json(new JWKSet(attackerKey.toPublicJWK()).toString(true));
        }
      });
      issuer.answer(JWKS_PATH, new okhttp3.mockwebserver.MockResponse().setResponseCode(302)
          .setHeader("Location", elsewhere.url("/jwks.json").toString()));
      String forged = Forge.rs256(json(header("RS256", attackerKey.getKeyID())), claimsJson(), attackerKey.toPrivateKey());
      assertRefused(() -> rs256.validate(forged), Reason.ISSUER_UNAVAILABLE).hasMessageContaining("another origin");
      assertThat(elsewhere.getRequestCount()).isZero();
    }
  }

  // Same-origin redirects are still followed for discovery and JWKS (a moved document on the issuer's own host).
  @Test
  void jwksAndDiscoveryRedirectsOnTheSameOriginAreFollowed() throws Exception {
    String discovery = "{\"issuer\":\"" + issuer.issuer() + "\",\"jwks_uri\":\"" + issuer.url("/old-jwks") + "\"}";
    issuer.answer(DISCOVERY_PATH, new okhttp3.mockwebserver.MockResponse().setResponseCode(301)
        .setHeader("Location", "/moved/openid-configuration"));
    issuer.answer("/moved/openid-configuration", FakeIssuer.json(discovery));
    issuer.answer("/old-jwks", new okhttp3.mockwebserver.MockResponse().setResponseCode(308)
        .setHeader("Location", issuer.url(JWKS_PATH)));
    assertThat(rs256.validate(issuer.jwt().sign()).issuer()).isEqualTo(issuer.issuer());
    assertThat(pathsRequested()).contains("/moved/openid-configuration", "/old-jwks", JWKS_PATH);
  }

  // Item 15. A token bound to a key (cnf.jkt, DPoP, RFC 9449) or to a client certificate (cnf
  // x5t#S256, mTLS, RFC 8705) was accepted as a plain bearer token (200 on 77aec1e): a stolen bound
  // token worked. validate(token) proves no binding, so such a token is refused, naming the binding,
  // with the reasons the request-level path (validate(TokenRequest)) uses for the same refusal.
  @Test
  void dpopBoundTokenPresentedAsBearerIsRefused() {
    String bound = issuer.jwt().claim("cnf", Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I")).sign();
    TokenValidationException e = Forge.refusal(() -> rs256.validate(bound));
    assertThat(e.reason()).isEqualTo(Reason.DPOP_TOKEN_AS_BEARER);
    assertThat(e.httpStatus()).isEqualTo(401);
    assertThat(e.errorCode()).isEqualTo("invalid_token");
    assertThat(e.description()).contains("DPoP key").contains("cnf jkt").doesNotContain("0ZcOCORZ");
  }

  @Test
  void mtlsBoundTokenPresentedAsBearerIsRefused() {
    String bound = issuer.jwt().claim("cnf", Map.of("x5t#S256", "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2")).sign();
    assertRefused(() -> rs256.validate(bound), Reason.CERTIFICATE_MISMATCH)
        .hasMessageContaining("client certificate").hasMessageContaining("x5t#S256");
  }

  // A confirmation method tokenward cannot prove at all (RFC 7800 jwk, kid, jku) is refused the same way.
  @Test
  void tokenBoundByAnUnknownConfirmationMethodIsRefused() {
    String bound = issuer.jwt().claim("cnf", Map.of("kid", "some-key")).sign();
    assertRefused(() -> rs256.validate(bound), Reason.BINDING_NOT_PROVEN).hasMessageContaining("kid");
    String notAnObject = issuer.jwt().claim("cnf", "jkt").sign();
    assertRefused(() -> rs256.validate(notAnObject), Reason.MALFORMED).hasMessageContaining("cnf");
  }

  @Test
  void introspectedTokenThatIsBoundIsRefusedAsBearer() {
    String opaque = "bT9vQ2mX7kL4pZ8w";
    issuer.opaque(opaque, Map.of("sub", "auth0|user-1", "token_type", "DPoP",
        "cnf", Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I")));
    AccessTokenValidator validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .opaqueTokens(OpaqueTokenPolicy.INTROSPECT).introspection(null, "api", "secret").build();
    assertRefused(() -> validator.validate(opaque), Reason.DPOP_TOKEN_AS_BEARER);
  }

  // token_type DPoP is an access token type, but one that needs a DPoP proof: validate(token) has none.
  @Test
  void introspectedDpopTokenIsAnAccessTokenThatNeedsItsProof() {
    String opaque = "dT9vQ2mX7kL4pZ8w";
    issuer.opaque(opaque, Map.of("sub", "auth0|user-1", "token_type", "DPoP"));
    AccessTokenValidator validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .opaqueTokens(OpaqueTokenPolicy.INTROSPECT).introspection(null, "api", "secret").build();
    assertRefused(() -> validator.validate(opaque), Reason.DPOP_TOKEN_AS_BEARER);
  }

  // Item 5. An opaque token names no issuer, yet it went to the first configured issuer whose policy
  // is not REJECT: with a partner's issuer first, our users' tokens were disclosed to the partner's
  // /userinfo (on 77aec1e this built, and the partner received the token). Two such issuers now need
  // an OpaqueTokenResolver; OpaqueTokenResolverTest shows the resolver at work.
  @Test
  void twoIssuersAcceptingOpaqueTokensWithoutAResolverDoNotBuild() throws Exception {
    try (FakeIssuer partner = new FakeIssuer()) {
      AccessTokenValidator.Builder both = AccessTokenValidator.builder()
          .issuer(TrustedIssuer.builder(partner.issuer()).audience(FakeIssuer.AUDIENCE)
              .opaqueTokens(OpaqueTokenPolicy.USERINFO).build())
          .issuer(TrustedIssuer.builder(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
              .opaqueTokens(OpaqueTokenPolicy.USERINFO).build());
      assertThatThrownBy(both::build).isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("opaqueTokens:").hasMessageContaining(partner.issuer())
          .hasMessageContaining(issuer.issuer()).hasMessageContaining("opaqueTokenResolver");
      assertThat(partner.requests()).isEmpty();
    }
  }
}
