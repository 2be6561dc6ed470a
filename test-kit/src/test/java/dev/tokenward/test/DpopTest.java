package dev.tokenward.test;

import static dev.tokenward.test.Http.form;
import static dev.tokenward.test.TestIssuer.DEFAULT_API;
import static dev.tokenward.test.TestIssuer.DEMO_CLIENT;
import static dev.tokenward.test.TestIssuer.DEMO_PASSWORD;
import static dev.tokenward.test.TestIssuer.DEMO_SECRET;
import static dev.tokenward.test.TestIssuer.DEMO_USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.Reason;
import dev.tokenward.core.TokenRequest;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.core.VerifiedToken;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DPoP in the kit (RFC 9449): the token endpoint binds a token to the key of a valid proof as Auth0
 * does and refuses a bad proof with 400 {@code invalid_dpop_proof}; {@link DpopKey},
 * {@link DpopProofBuilder} and {@link JwtBuilder#boundTo} mint what tokenward core accepts, and
 * each broken variant is refused by core for the reason it was built to break.
 */
class DpopTest {

    static final String API_URL = "https://api.example.test/orders";
    static TestIssuer issuer;
    static AccessTokenValidator validator;

    @BeforeAll
    static void start() {
        issuer = TestIssuer.defaults().start();
        validator = issuer.validatorBuilder().build();
    }

    @AfterAll
    static void stop() {
        validator.close();
        issuer.close();
    }

    static Http.Response tokenRequest(List<String> proofs, String... params) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(issuer.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Http.encode(form(params))));
        proofs.forEach(p -> b.header("DPoP", p));
        return Http.send(b.build());
    }

    static Http.Response clientCredentials(List<String> proofs) {
        return tokenRequest(proofs, "grant_type", "client_credentials", "client_id", DEMO_CLIENT,
                "client_secret", DEMO_SECRET, "audience", DEFAULT_API);
    }

    static String tokenProof(DpopKey key) {
        return key.proof().method("POST").url(issuer.tokenEndpoint()).sign();
    }

    static VerifiedToken validateDpop(String token, String proof) throws TokenValidationException {
        return validator.validate(TokenRequest.builder("GET", API_URL).authorization("DPoP " + token)
                .dpopProof(proof).build());
    }

    static Stream<Arguments> keys() {
        return Stream.of(Arguments.of("ES256", DpopKey.es256()), Arguments.of("RS256", DpopKey.rs256()),
                Arguments.of("EdDSA", DpopKey.ed25519()), Arguments.of("Ed25519", DpopKey.ed25519()),
                Arguments.of("PS256", DpopKey.rs256()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void tokenEndpointWhenProofIsValidThenTokenIsBoundToItsKeyAndTypeIsDpop(String alg, DpopKey key) throws Exception {
        String proof = key.proof().algorithm(alg).method("POST").url(issuer.tokenEndpoint()).sign();
        Http.Response r = clientCredentials(List.of(proof));

        assertThat(r.status()).as("%s", r.json()).isEqualTo(200);
        assertThat(r.json().get("token_type")).isEqualTo("DPoP");
        String token = (String) r.json().get("access_token");
        assertThat(Http.rawPayload(token).get("cnf")).isEqualTo(Map.of("jkt", key.thumbprint()));

        VerifiedToken verified = validateDpop(token, key.proof().url(API_URL).accessToken(token).algorithm(alg).sign());
        assertThat(verified.subject()).isEqualTo(DEMO_CLIENT + "@clients");
    }

    @Test
    void tokenEndpointWhenNoProofThenBearerTokenWithoutCnf() throws Exception {
        Http.Response r = clientCredentials(List.of());
        assertThat(r.json().get("token_type")).isEqualTo("Bearer");
        assertThat(Http.rawPayload((String) r.json().get("access_token"))).doesNotContainKey("cnf");
    }

    @Test
    void passwordGrantWhenProofIsValidThenUserTokenIsBound() throws Exception {
        DpopKey key = DpopKey.es256();
        Http.Response r = tokenRequest(List.of(tokenProof(key)), "grant_type", "password", "client_id", DEMO_CLIENT,
                "client_secret", DEMO_SECRET, "audience", DEFAULT_API, "username", DEMO_USER, "password", DEMO_PASSWORD);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("token_type")).isEqualTo("DPoP");
        assertThat(Http.rawPayload((String) r.json().get("access_token")).get("cnf"))
                .isEqualTo(Map.of("jkt", key.thumbprint()));
    }

    @Test
    void tokenEndpointWhenOpaqueTokenIsBoundThenIntrospectionSaysDpopAndUserinfoHidesCnf() {
        DpopKey key = DpopKey.es256();
        Http.Response r = tokenRequest(List.of(tokenProof(key)), "grant_type", "client_credentials",
                "client_id", DEMO_CLIENT, "client_secret", DEMO_SECRET);
        assertThat(r.json().get("token_type")).isEqualTo("DPoP");
        String opaque = (String) r.json().get("access_token");

        Http.Response introspected = Http.postForm(issuer.introspectionEndpoint(), form("token", opaque,
                "client_id", DEMO_CLIENT, "client_secret", DEMO_SECRET));
        assertThat(introspected.json().get("token_type")).isEqualTo("DPoP");
        assertThat(introspected.json().get("cnf")).isEqualTo(Map.of("jkt", key.thumbprint()));
        assertThat(Http.getBearer(issuer.userinfoEndpoint(), opaque).json()).doesNotContainKey("cnf");
    }

    static Stream<String> badTokenEndpointProofs() {
        return Stream.of("typ JWT", "alg none", "alg HS256 named in the header", "private key in jwk", "no jwk",
                "signed by another key", "htm GET", "htu of another endpoint", "iat 10 minutes old",
                "iat 10 minutes ahead", "no jti");
    }

    /** Each bad variant, built against the running issuer's endpoint. */
    static DpopProofBuilder badVariant(String name, DpopKey key) {
        DpopProofBuilder b = key.proof().method("POST").url(issuer.tokenEndpoint());
        return switch (name) {
            case "typ JWT" -> b.type("JWT");
            case "alg HS256 named in the header" -> b.header("alg", "HS256");
            case "private key in jwk" -> b.privateKeyInHeader();
            case "no jwk" -> b.header("jwk", null);
            case "signed by another key" -> b.wronglySigned();
            case "htm GET" -> b.method("GET");
            case "htu of another endpoint" -> b.url("http://127.0.0.1:1/oauth/token");
            case "iat 10 minutes old" -> b.age(Duration.ofMinutes(10));
            case "iat 10 minutes ahead" -> b.age(Duration.ofMinutes(-10));
            case "no jti" -> b.claim("jti", null);
            default -> b;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokenEndpointProofs")
    void tokenEndpointWhenProofIsBadThen400InvalidDpopProof(String name) {
        DpopKey key = DpopKey.es256();
        DpopProofBuilder b = badVariant(name, key);
        String proof = name.equals("alg none") ? b.unsigned("") : b.sign();

        Http.Response r = clientCredentials(List.of(proof));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error")).isEqualTo("invalid_dpop_proof");
        assertThat(r.json()).doesNotContainKey("access_token");
    }

    @Test
    void tokenEndpointWhenProofIsReplayedThen400() {
        String proof = tokenProof(DpopKey.es256());
        assertThat(clientCredentials(List.of(proof)).status()).isEqualTo(200);
        Http.Response again = clientCredentials(List.of(proof));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("error_description").toString()).contains("jti");
    }

    @Test
    void tokenEndpointWhenTwoProofsThen400() {
        DpopKey key = DpopKey.es256();
        Http.Response r = clientCredentials(List.of(tokenProof(key), tokenProof(key)));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error")).isEqualTo("invalid_dpop_proof");
    }

    @Test
    void discoveryNamesTheProofAlgorithms() {
        assertThat(Http.get(issuer.discoveryUri()).json().get("dpop_signing_alg_values_supported"))
                .asList().contains("ES256", "EdDSA", "Ed25519", "RS256", "PS256");
    }

    // ------------------------------------------------------------ minting for an API's tests

    @Test
    void mintedBoundTokenWithProofIsAcceptedAndUnderBearerIsRefused() throws Exception {
        DpopKey key = DpopKey.es256();
        String token = issuer.jwt().boundTo(key).scopes("read:messages").sign();

        assertThat(validateDpop(token, key.proof().url(API_URL).accessToken(token).sign()).scopes())
                .contains("read:messages");
        assertThatThrownBy(() -> validator.validate(TokenRequest.builder("GET", API_URL)
                .authorization("Bearer " + token).build()))
                .extracting(e -> ((TokenValidationException) e).reason()).isEqualTo(Reason.DPOP_TOKEN_AS_BEARER);
    }

    @Test
    void dpopAccessTokenIsBoundAsTheTokenEndpointWouldBindIt() throws Exception {
        DpopKey key = DpopKey.ed25519();
        String token = issuer.dpopAccessToken(key, DEMO_CLIENT, DEFAULT_API);
        assertThat(Http.rawPayload(token).get("cnf")).isEqualTo(Map.of("jkt", key.thumbprint()));
        assertThat(validateDpop(token, key.proof().url(API_URL).accessToken(token).sign()).subject())
                .isEqualTo(DEMO_CLIENT + "@clients");
    }

    static Stream<Arguments> brokenProofs() {
        return Stream.of(
                Arguments.of("wrong htm", Reason.DPOP_PROOF_METHOD,
                        (Broken) (k, t) -> k.proof().method("POST").url(API_URL).accessToken(t).sign()),
                Arguments.of("wrong htu", Reason.DPOP_PROOF_URI,
                        (Broken) (k, t) -> k.proof().url("https://api.example.test/other").accessToken(t).sign()),
                Arguments.of("old iat", Reason.DPOP_PROOF_TIME,
                        (Broken) (k, t) -> k.proof().url(API_URL).accessToken(t).age(Duration.ofMinutes(6)).sign()),
                Arguments.of("ath of another token", Reason.DPOP_PROOF_TOKEN_HASH,
                        (Broken) (k, t) -> k.proof().url(API_URL).accessToken(t + "x").sign()),
                Arguments.of("no ath", Reason.DPOP_PROOF_TOKEN_HASH,
                        (Broken) (k, t) -> k.proof().url(API_URL).claim("ath", null).sign()),
                Arguments.of("private key in jwk", Reason.DPOP_PROOF_KEY,
                        (Broken) (k, t) -> k.proof().url(API_URL).accessToken(t).privateKeyInHeader().sign()),
                Arguments.of("wrong signature", Reason.DPOP_PROOF_SIGNATURE,
                        (Broken) (k, t) -> k.proof().url(API_URL).accessToken(t).wronglySigned().sign()),
                Arguments.of("alg none", Reason.DPOP_PROOF_ALGORITHM,
                        (Broken) (k, t) -> k.proof().url(API_URL).accessToken(t).unsigned("c2lnbmF0dXJl")),
                Arguments.of("typ JWT", Reason.DPOP_PROOF_MALFORMED,
                        (Broken) (k, t) -> k.proof().url(API_URL).accessToken(t).type("JWT").sign()),
                Arguments.of("another key than cnf.jkt", Reason.DPOP_KEY_MISMATCH,
                        (Broken) (k, t) -> DpopKey.es256().proof().url(API_URL).accessToken(t).sign()));
    }

    /** Makes a broken proof for a token bound to a key. */
    interface Broken {
        String proof(DpopKey key, String token);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenProofs")
    void brokenVariantIsRefusedByCoreForItsReason(String name, Reason reason, Broken broken) {
        DpopKey key = DpopKey.es256();
        String token = issuer.jwt().boundTo(key).sign();
        assertThatThrownBy(() -> validateDpop(token, broken.proof(key, token)))
                .isInstanceOf(TokenValidationException.class)
                .extracting(e -> ((TokenValidationException) e).reason()).isEqualTo(reason);
    }

    @Test
    void replayedJtiIsRefusedByCore() throws Exception {
        DpopKey key = DpopKey.es256();
        String token = issuer.jwt().boundTo(key).sign();
        String proof = key.proof().url(API_URL).accessToken(token).jti("same").sign();
        validateDpop(token, proof);
        assertThatThrownBy(() -> validateDpop(token, key.proof().url(API_URL).accessToken(token).jti("same").sign()))
                .extracting(e -> ((TokenValidationException) e).reason()).isEqualTo(Reason.DPOP_PROOF_REPLAY);
    }

    @Test
    void nonceIsWrittenAndAServerNonceIsAccepted() throws Exception {
        try (AccessTokenValidator nonced = issuer.validatorBuilder().dpopNonce(true).build()) {
            DpopKey key = DpopKey.es256();
            String token = issuer.jwt().boundTo(key).sign();
            TokenRequest first = TokenRequest.builder("GET", API_URL).authorization("DPoP " + token)
                    .dpopProof(key.proof().url(API_URL).accessToken(token).sign()).build();
            assertThatThrownBy(() -> nonced.validate(first))
                    .extracting(e -> ((TokenValidationException) e).reason()).isEqualTo(Reason.DPOP_NONCE_REQUIRED);
            String nonce = nonced.dpopNonce(first).orElseThrow();
            assertThat(nonced.validate(TokenRequest.builder("GET", API_URL).authorization("DPoP " + token)
                    .dpopProof(key.proof().url(API_URL).accessToken(token).nonce(nonce).sign()).build()).subject())
                    .isEqualTo(JwtBuilder.DEFAULT_SUBJECT);
        }
    }

    @Test
    void keySurvivesItsPrivateJsonAndUrlLosesQueryAndFragment() throws Exception {
        for (DpopKey key : List.of(DpopKey.es256(), DpopKey.rs256(), DpopKey.ed25519())) {
            DpopKey again = DpopKey.fromPrivateJson(key.toPrivateJson());
            assertThat(again.thumbprint()).isEqualTo(key.thumbprint());
            String token = issuer.jwt().boundTo(key).sign();
            assertThat(validateDpop(token, again.proof().url(API_URL + "?page=2#top").accessToken(token).sign()))
                    .isNotNull();
        }
        assertThatThrownBy(() -> DpopKey.fromPrivateJson(DpopKey.es256().proof().toString()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DpopKey.es256().toString()).doesNotContain("\"d\"");
    }
}
