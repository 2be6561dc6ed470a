package dev.tokenward.test;

import com.nimbusds.jose.jwk.JWKSet;
import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.test.Registrations.Api;
import dev.tokenward.test.Registrations.Client;
import dev.tokenward.test.Registrations.User;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A <b>testing and development aid</b>: a small OAuth 2.0 / OpenID Connect issuer that runs in-process
 * on {@code 127.0.0.1} and answers like an Auth0 tenant, so that tests can point the API under test at
 * an issuer it knows nothing special about, and the tokenward samples can run without a real issuer.
 * It is <b>not</b> an authorization server for production: keys live in memory, secrets are
 * compared in plain text, there is no {@code /authorize} endpoint, no login page, no refresh tokens.
 *
 * <h2>What it serves</h2>
 * <ul>
 *   <li>{@code GET /.well-known/openid-configuration} and {@code GET /.well-known/jwks.json}
 *       (RSA-2048 public keys, {@code alg: RS256}, current key first; then one P-256 key for ES256 and
 *       one Ed25519 key for EdDSA test tokens; all {@code use: sig}).</li>
 *   <li>{@code POST /oauth/token}: {@code client_credentials} and {@code password}; form-encoded or
 *       JSON body; client authentication in the body or with HTTP Basic. With a {@code DPoP} proof
 *       header (RFC 9449 section 5) the access token is bound to the proof's key ({@code cnf.jkt},
 *       {@code "token_type": "DPoP"}), as Auth0 does; a bad proof is 400 {@code invalid_dpop_proof}.</li>
 *   <li>{@code GET /userinfo}, {@code POST /oauth/introspect} (RFC 7662),
 *       {@code POST /oauth/revoke} (RFC 7009) and the dev-only {@code POST /dev/rotate-keys}.</li>
 * </ul>
 *
 * <h2>Auth0 behaviour it reproduces</h2>
 * <ul>
 *   <li>{@link #issuer()} ends with a slash, like {@code https://TENANT.auth0.com/}.</li>
 *   <li>The {@code audience} parameter decides the format: a registered API gives a signed JWT;
 *       no audience gives an opaque token that is only good at {@code /userinfo}; an unknown
 *       audience is refused with 403 {@code access_denied} "Service not found: ...".</li>
 *   <li>Access tokens use Auth0's default <em>Auth0 token profile</em>: header {@code typ: JWT},
 *       claims {@code iss, sub, aud, iat, exp, scope, gty, azp, permissions}. An API registered with
 *       {@link TokenProfile#RFC9068} gets Auth0's RFC 9068 profile instead: {@code typ: at+jwt},
 *       {@code client_id} and {@code jti} in place of {@code azp}/{@code gty}.</li>
 *   <li>{@code sub} is {@code CLIENT_ID@clients} for client credentials and {@code auth0|...} for
 *       users. {@code aud} is the API identifier as a string, or the array
 *       {@code [api, ISSUER + "userinfo"]} when a user grant requests {@code openid}.</li>
 *   <li>Client credentials: the client needs a client grant for the API; asking for a scope outside
 *       it is refused with 403 "Client has not been granted scopes: ..." (as Auth0 does); without
 *       {@code scope} the token carries every granted scope.</li>
 *   <li>Password grant (RBAC): {@code scope} = requested OIDC scopes + requested API scopes the user
 *       holds; {@code permissions} = all of the user's permissions for the API; {@code openid} adds an
 *       ID token (RS256, {@code aud} = client id, {@code nonce}, {@code at_hash}).</li>
 *   <li>HS256 APIs get HS256 tokens with a single string {@code aud}; {@code openid} with an HS256
 *       API is refused (400 {@code invalid_request}) because HS256 tokens may hold one audience only.</li>
 *   <li>Default access-token lifetime 86400 s; ID tokens 36000 s.</li>
 *   <li>{@link #rotateKeys()} makes a new key current and keeps the previous one published until
 *       the next rotation (Auth0's rotate, then revoke).</li>
 * </ul>
 *
 * <h2>Where it departs from Auth0 (on purpose)</h2>
 * <ul>
 *   <li>For opaque tokens {@code /userinfo} also answers {@code scope} and {@code permissions}, so a
 *       resource server that only gets opaque tokens can authorize from them. Real Auth0 userinfo
 *       never returns scopes, and its opaque tokens carry no API scopes at all.</li>
 *   <li>Auth0 has no introspection endpoint; this one follows RFC 7662 for opaque tokens and JWTs.</li>
 *   <li>Auth0's {@code /oauth/revoke} revokes refresh tokens only; here it revokes access tokens.</li>
 * </ul>
 *
 * <h2>Use</h2>
 * <pre>{@code
 * try (TestIssuer issuer = TestIssuer.defaults().start()) {
 *     AccessTokenValidator validator = issuer.validator();          // or point your app at issuer.issuer()
 *     String ok = issuer.jwt().scopes("read:messages").sign();      // minted for the test
 *     String expired = issuer.jwt().expired().sign();
 *     String granted = issuer.accessToken("demo-client", TestIssuer.DEFAULT_API); // as /oauth/token issues it
 * }
 * }</pre>
 * For the hard cases: {@link #rotateKeys()}, {@link #publishNewKey()} / {@link #useKey} /
 * {@link #retireKey}, {@link #takeDown} / {@link #cutOff} / {@link #bringUp}, {@link #delay} and
 * {@link #requestCount}.
 * In JUnit 5, {@link TestIssuerExtension} starts and stops it.
 * Starting prints nothing; tokens are never logged. Instances are thread-safe.
 */
public final class TestIssuer implements AutoCloseable {

    /** The API identifier of the {@link #defaults()} preset. */
    public static final String DEFAULT_API = "https://api.tokenward.dev";
    /** A scope / permission of {@link #DEFAULT_API}, granted to the demo client and user. */
    public static final String READ_MESSAGES = "read:messages";
    /** A scope / permission of {@link #DEFAULT_API}, granted to the admin client only. */
    public static final String ADMIN_ALL = "admin:all";
    /** Preset client granted {@value #READ_MESSAGES}. */
    public static final String DEMO_CLIENT = "demo-client";
    /** Secret of {@link #DEMO_CLIENT}. */
    public static final String DEMO_SECRET = "demo-secret";
    /** Preset client authorized for {@link #DEFAULT_API} with no scope. */
    public static final String LIMITED_CLIENT = "limited-client";
    /** Secret of {@link #LIMITED_CLIENT}. */
    public static final String LIMITED_SECRET = "limited-secret";
    /** Preset client granted {@value #READ_MESSAGES} and {@value #ADMIN_ALL}. */
    public static final String ADMIN_CLIENT = "admin-client";
    /** Secret of {@link #ADMIN_CLIENT}. */
    public static final String ADMIN_SECRET = "admin-secret";
    /** Preset user for the password grant, holding the permission {@value #READ_MESSAGES}. */
    public static final String DEMO_USER = "demo@tokenward.dev";
    /** Password of {@link #DEMO_USER}. */
    public static final String DEMO_PASSWORD = "demo-password";

    /**
     * Auth0's {@code acr} after multi-factor authentication (the PAPE multi-factor policy): asked for
     * with {@code acr_values} at the password grant, it gives a token with this {@code acr} and
     * {@code amr ["pwd", "mfa"]}.
     */
    public static final String MFA_ACR = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";
    /** Default access-token lifetime, Auth0's default for APIs. */
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(86_400);
    /** Default ID-token lifetime, Auth0's default for applications. */
    public static final Duration DEFAULT_ID_TOKEN_LIFETIME = Duration.ofSeconds(36_000);

    /** Signing algorithm of a registered API. */
    public enum Algorithm {
        /** The tenant's RSA key (Auth0's default). */
        RS256,
        /** The API's own shared secret; one audience per token. */
        HS256
    }

    /** Auth0's access token profiles ("token dialects"). */
    public enum TokenProfile {
        /** Auth0's default: {@code typ: JWT}, {@code azp}, {@code gty}. */
        AUTH0,
        /** RFC 9068: {@code typ: at+jwt}, {@code client_id}, {@code jti}. */
        RFC9068
    }

    private final int requestedPort;
    private final String firstApi; // null when no API is registered
    private final Map<String, Api> apis;
    private final Map<String, Client> clients;
    private final Map<String, User> users;
    private final Duration tokenLifetime;
    private final Duration idTokenLifetime;
    private final Clock clock;
    private final KeyRing keys = new KeyRing();
    private final EndpointControls controls = new EndpointControls();

    private final Object lifecycle = new Object();
    private IssuerServer server;
    private volatile String issuer;
    private volatile TokenService tokens;
    private boolean closed;

    private TestIssuer(Builder b) {
        this.requestedPort = b.port;
        this.firstApi = b.apis.isEmpty() ? null : b.apis.keySet().iterator().next();
        this.apis = Map.copyOf(b.apis);
        this.clients = Map.copyOf(b.clients);
        this.users = Map.copyOf(b.users);
        this.tokenLifetime = b.tokenLifetime;
        this.idTokenLifetime = b.idTokenLifetime;
        this.clock = b.clock;
    }

    /** A builder with no APIs, clients or users, port 0, 86400 s tokens and the system UTC clock. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The preset tenant, not yet started: API {@value #DEFAULT_API} (RS256) with scopes
     * {@value #READ_MESSAGES} and {@value #ADMIN_ALL}; clients {@value #DEMO_CLIENT} (granted
     * read:messages), {@value #LIMITED_CLIENT} (a client grant without scopes) and
     * {@value #ADMIN_CLIENT} (granted both), each with its "-secret" and the client_credentials and
     * password grants; user {@value #DEMO_USER} / {@value #DEMO_PASSWORD} holding read:messages.
     */
    public static TestIssuer defaults() {
        return defaultsBuilder().build();
    }

    /** The {@link #defaults()} preset as a builder, to change the port, clock or lifetime, or add to it. */
    public static Builder defaultsBuilder() {
        return builder()
                .api(DEFAULT_API, READ_MESSAGES, ADMIN_ALL)
                .client(DEMO_CLIENT, DEMO_SECRET, c -> c.authorize(DEFAULT_API, READ_MESSAGES))
                .client(LIMITED_CLIENT, LIMITED_SECRET, c -> c.authorize(DEFAULT_API))
                .client(ADMIN_CLIENT, ADMIN_SECRET, c -> c.authorize(DEFAULT_API, READ_MESSAGES, ADMIN_ALL))
                .user(DEMO_USER, DEMO_PASSWORD, u -> u.name("Demo User").nickname("demo")
                        .permissions(DEFAULT_API, READ_MESSAGES));
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Binds to 127.0.0.1 on the configured port (0 = a free port) and starts serving.
     *
     * @return this, for {@code try (TestIssuer i = TestIssuer.defaults().start())}
     * @throws UncheckedIOException when the port cannot be bound
     * @throws IllegalStateException when already started or closed
     */
    public TestIssuer start() {
        synchronized (lifecycle) {
            if (closed || server != null) {
                throw new IllegalStateException(closed ? "TestIssuer is closed" : "TestIssuer already started");
            }
            IssuerServer http = IssuerServer.bind(requestedPort);
            String iss = http.issuer();
            TokenService service = new TokenService(iss, apis, clients, users, tokenLifetime, idTokenLifetime,
                    clock, keys);
            http.serve(new HttpEndpoints(service, keys, () -> DiscoveryDocument.of(iss, apis), controls,
                    new DpopProofCheck(clock), iss + "oauth/token"));
            this.server = http;
            this.tokens = service;
            this.issuer = iss;
            return this;
        }
    }

    /** Stops serving and releases the port. Idempotent. Minting methods stop working as well. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            closed = true;
            if (server != null) {
                server.stop();
                server = null;
            }
        }
    }

    // ---------------------------------------------------------------- addresses

    /** {@code http://127.0.0.1:PORT/}, with the trailing slash Auth0 uses. Only after {@link #start()}. */
    public String issuer() {
        String iss = issuer;
        if (iss == null) {
            throw new IllegalStateException("TestIssuer not started");
        }
        return iss;
    }

    /** The bound port. Only after {@link #start()}. */
    public int port() {
        String iss = issuer();
        return Integer.parseInt(iss.substring(iss.lastIndexOf(':') + 1, iss.length() - 1));
    }

    /** {@code ISSUER.well-known/jwks.json} */
    public String jwksUri() {
        return issuer() + ".well-known/jwks.json";
    }

    /** {@code ISSUER.well-known/openid-configuration} */
    public String discoveryUri() {
        return issuer() + ".well-known/openid-configuration";
    }

    /** {@code ISSUER + "oauth/token"} */
    public String tokenEndpoint() {
        return issuer() + "oauth/token";
    }

    /** {@code ISSUER + "userinfo"}; also the second {@code aud} of tokens requested with openid. */
    public String userinfoEndpoint() {
        return issuer() + "userinfo";
    }

    /** {@code ISSUER + "oauth/introspect"} */
    public String introspectionEndpoint() {
        return issuer() + "oauth/introspect";
    }

    /** {@code ISSUER + "oauth/revoke"} */
    public String revocationEndpoint() {
        return issuer() + "oauth/revoke";
    }

    // ---------------------------------------------------------------- keys

    /**
     * Rotates the signing key: the new key signs from now on and is listed first in the JWKS; the
     * previous key stays listed (and accepted) until the next rotation, then is dropped.
     *
     * @return the new key's {@code kid}
     */
    public String rotateKeys() {
        return keys.rotate().getKeyID();
    }

    /** The {@code kid} of the key that signs now. */
    public String currentKeyId() {
        return keys.current().getKeyID();
    }

    /** The published JWKS (public keys only), current key first. */
    public JWKSet publicKeys() {
        return keys.publicJwks();
    }

    /**
     * Publishes a new RSA key in the JWKS without signing with it yet: the first half of a careful
     * rotation (publish, let caches pick it up, {@link #useKey}, later {@link #retireKey} the old one).
     *
     * @return the new key's {@code kid}
     */
    public String publishNewKey() {
        return keys.publishNew().getKeyID();
    }

    /**
     * Signs from now on with a published RSA key (listed first from now on); the previous signing key
     * stays published.
     *
     * @throws IllegalArgumentException when no published RSA key has this {@code kid}
     */
    public void useKey(String kid) {
        keys.use(kid);
    }

    /**
     * Removes a published RSA key from the JWKS: tokens it signed no longer verify, here or anywhere.
     *
     * @throws IllegalArgumentException when no published RSA key has this {@code kid}
     * @throws IllegalStateException when it is the signing key ({@link #useKey} another one first)
     */
    public void retireKey(String kid) {
        keys.retire(kid);
    }

    // ---------------------------------------------------------------- faults and counts

    /**
     * Takes an endpoint down: it answers 503 {@code temporarily_unavailable} with {@code Retry-After: 1}
     * until {@link #bringUp} (or {@link #reset}). Requests are still counted.
     */
    public void takeDown(IssuerEndpoint endpoint) {
        controls.state(endpoint, EndpointControls.State.DOWN);
    }

    /**
     * Cuts an endpoint off: the connection of each request is closed without an answer, so the caller
     * meets an I/O error as when the issuer cannot be reached, until {@link #bringUp} (or
     * {@link #reset}). The port stays bound, so the issuer comes back at the same URL with no other
     * process able to take it meanwhile. Requests are still counted.
     */
    public void cutOff(IssuerEndpoint endpoint) {
        controls.state(endpoint, EndpointControls.State.CUT_OFF);
    }

    /** Brings an endpoint taken down or cut off back. */
    public void bringUp(IssuerEndpoint endpoint) {
        controls.state(endpoint, EndpointControls.State.UP);
    }

    /**
     * Makes an endpoint wait this long before each answer, to test timeouts and slow issuers;
     * {@link Duration#ZERO} answers at once again.
     */
    public void delay(IssuerEndpoint endpoint, Duration delay) {
        controls.delay(endpoint, delay);
    }

    /** The requests an endpoint received since start (or the last {@link #reset}), answered or not. */
    public int requestCount(IssuerEndpoint endpoint) {
        return controls.count(endpoint);
    }

    /**
     * Brings every endpoint up, removes every delay and sets the request counts to zero. Keys and
     * issued tokens are kept. {@link TestIssuerExtension} calls it before each test.
     */
    public void reset() {
        controls.reset();
    }

    // ---------------------------------------------------------------- minting for tests

    /**
     * A builder for one JWT signed by this issuer, as Auth0 would write an access token for
     * {@link #audience()}; change anything, including into a token that must be refused.
     * Only after {@link #start()}.
     */
    public JwtBuilder jwt() {
        return new JwtBuilder(this, keys, issuer(), firstApi, tokenLifetime);
    }

    /**
     * A builder for one opaque access token that this issuer's userinfo and introspection endpoints
     * answer for. Only after {@link #start()}.
     */
    public OpaqueTokenBuilder opaque() {
        return new OpaqueTokenBuilder(this, service(), tokenLifetime);
    }

    /**
     * The audience {@link #jwt()} writes and {@link #validator()} accepts: the first API registered
     * ({@value #DEFAULT_API} for the {@link #defaults()} preset).
     *
     * @throws IllegalStateException when no API is registered
     */
    public String audience() {
        if (firstApi == null) {
            throw new IllegalStateException("no API is registered with this TestIssuer; register one with"
                    + " Builder.api(...)");
        }
        return firstApi;
    }

    // ---------------------------------------------------------------- the validator under test

    /**
     * A validator builder that trusts this issuer for {@link #audience()}: {@code issuer(issuer())}
     * and {@code audience(audience())}, plus HS256 and the API's secret for an HS256 API. Add
     * settings before {@code build()}, for example {@code algorithms("RS256", "ES256")} for ES256
     * tokens or {@code opaqueTokens(OpaqueTokenPolicy.INTROSPECT)} with {@code introspection(...)}.
     */
    public AccessTokenValidator.Builder validatorBuilder() {
        return validatorBuilder(audience());
    }

    /** As {@link #validatorBuilder()}, for another registered API or any audience. */
    public AccessTokenValidator.Builder validatorBuilder(String audience) {
        AccessTokenValidator.Builder b = AccessTokenValidator.builder().issuer(issuer()).audience(audience);
        Api api = apis.get(audience);
        if (api != null && api.algorithm() == Algorithm.HS256) {
            b.algorithms("HS256").hmacSecret(api.secret());
        }
        return b;
    }

    /** {@code validatorBuilder().build()}: a validator with tokenward's defaults that trusts this issuer. */
    public AccessTokenValidator validator() {
        return validatorBuilder().build();
    }

    // ---------------------------------------------------------------- minting without HTTP

    /**
     * A client-credentials access token for {@code audience}, exactly as {@code POST /oauth/token}
     * would issue it (without checking the client secret or the client's allowed grant types).
     * No scopes = every scope of the client grant.
     *
     * @throws TestIssuerException as the endpoint would answer (unknown audience, no client grant,
     *                            scope not granted)
     * @throws IllegalArgumentException for an unknown client
     */
    public String accessToken(String clientId, String audience, String... scopes) {
        Objects.requireNonNull(audience, "audience; use opaqueToken(...) for a token without audience");
        return service().clientCredentials(requireClient(clientId), audience, join(scopes)).accessToken();
    }

    /**
     * A password-grant access token for a registered user, as {@code POST /oauth/token} would issue
     * it without checking passwords. Include "openid" in {@code scopes} for the array {@code aud};
     * a null {@code audience} gives an opaque token. No scopes = all of the user's permissions.
     */
    public String userAccessToken(String username, String clientId, String audience, String... scopes) {
        return service().password(requireClient(clientId), requireUser(username), audience, join(scopes), null)
                .accessToken();
    }

    /**
     * As {@link #userAccessToken}, for a user who has just passed multi-factor authentication
     * ({@code acr_values} = {@link #MFA_ACR}): {@code acr}, {@code amr ["pwd", "mfa"]} and
     * {@code auth_time} now, for step-up (RFC 9470) tests.
     */
    public String mfaUserAccessToken(String username, String clientId, String audience, String... scopes) {
        return service().password(requireClient(clientId), requireUser(username), audience, join(scopes), null, MFA_ACR)
                .accessToken();
    }

    /**
     * A client-credentials access token bound to a DPoP key ({@code cnf.jkt} = its thumbprint), as
     * {@code POST /oauth/token} issues it when the request carries a proof made with {@code key}.
     * Send it as {@code Authorization: DPoP <token>} with a proof from {@code key.proof()}.
     */
    public String dpopAccessToken(DpopKey key, String clientId, String audience, String... scopes) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(audience, "audience");
        return service().clientCredentials(requireClient(clientId), audience, join(scopes), key.thumbprint())
                .accessToken();
    }

    /** An opaque client-credentials token (no audience), good only at {@code /userinfo}. */
    public String opaqueToken(String clientId, String... scopes) {
        return service().clientCredentials(requireClient(clientId), null, join(scopes)).accessToken();
    }

    /** An opaque token for a user (no audience), good only at {@code /userinfo}. */
    public String opaqueUserToken(String username, String clientId, String... scopes) {
        return service().password(requireClient(clientId), requireUser(username), null, join(scopes), null)
                .accessToken();
    }

    /**
     * An RS256 ID token for a user with the openid, profile and email claims, {@code aud} = the client
     * id, and {@code nonce} when not null (no {@code at_hash}: there is no access token).
     */
    public String idToken(String username, String clientId, String nonce) {
        requireClient(clientId);
        return service().idToken(requireUser(username), clientId, nonce);
    }

    /** Revokes a token this issuer issued, so that introspection and /userinfo report it inactive. */
    public void revoke(String token) {
        service().revoke(token, null);
    }

    // ---------------------------------------------------------------- internals

    /** The issuer clock's instant, whole seconds, as tokens carry it. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private TokenService service() {
        TokenService s = tokens;
        if (s == null) {
            throw new IllegalStateException("TestIssuer not started: the issuer URL includes the port");
        }
        return s;
    }

    private Client requireClient(String clientId) {
        Client c = clientId == null ? null : clients.get(clientId);
        if (c == null) {
            throw new IllegalArgumentException("unknown client: " + clientId);
        }
        return c;
    }

    private User requireUser(String username) {
        User u = username == null ? null : users.get(username);
        if (u == null) {
            throw new IllegalArgumentException("unknown user: " + username);
        }
        return u;
    }

    private static String join(String... scopes) {
        return scopes == null || scopes.length == 0 ? null : String.join(" ", scopes);
    }

    /** Auth0-style user id for a username: {@code auth0|} + 24 hex digits, stable across runs. */
    static String defaultUserId(String username) {
        byte[] digest = Sha256.digest(username.getBytes(StandardCharsets.UTF_8));
        return "auth0|" + HexFormat.of().formatHex(digest, 0, 12);
    }

    // ---------------------------------------------------------------- configuration

    /** Builds a {@link TestIssuer}. Not thread-safe. */
    public static final class Builder {
        private int port;
        private final Map<String, Api> apis = new LinkedHashMap<>();
        private final Map<String, Client> clients = new LinkedHashMap<>();
        private final Map<String, User> users = new LinkedHashMap<>();
        private Duration tokenLifetime = DEFAULT_TOKEN_LIFETIME;
        private Duration idTokenLifetime = DEFAULT_ID_TOKEN_LIFETIME;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** Registers an RS256 API (Auth0 token profile) with its scopes / permissions. */
        public Builder api(String identifier, String... scopes) {
            return api(identifier, a -> a.scopes(scopes));
        }

        /** Registers an HS256 API; the signing secret must have at least 32 bytes. */
        public Builder hs256Api(String identifier, String secret, String... scopes) {
            return api(identifier, a -> a.hs256(secret).scopes(scopes));
        }

        /** Registers an API configured through {@link ApiSpec}. */
        public Builder api(String identifier, Consumer<ApiSpec> config) {
            requireText(identifier, "API identifier");
            ApiSpec spec = new ApiSpec();
            config.accept(spec);
            apis.put(identifier, new Api(identifier, spec.algorithm, spec.secret, spec.profile,
                    List.copyOf(spec.scopes)));
            return this;
        }

        /**
         * Registers an application. By default it may use the client_credentials and password grants
         * and is authorized for no API; see {@link ClientSpec#authorize(String, String...)}.
         */
        public Builder client(String clientId, String clientSecret, Consumer<ClientSpec> config) {
            requireText(clientId, "client_id");
            requireText(clientSecret, "client_secret");
            ClientSpec spec = new ClientSpec();
            config.accept(spec);
            Map<String, List<String>> auth = new LinkedHashMap<>();
            spec.authorizations.forEach((k, v) -> auth.put(k, List.copyOf(v)));
            clients.put(clientId, new Client(clientId, clientSecret, Set.copyOf(spec.grantTypes), Map.copyOf(auth)));
            return this;
        }

        /** Registers a database user for the password grant. */
        public Builder user(String username, String password, Consumer<UserSpec> config) {
            requireText(username, "username");
            requireText(password, "password");
            UserSpec spec = new UserSpec();
            config.accept(spec);
            Map<String, List<String>> perms = new LinkedHashMap<>();
            spec.permissions.forEach((k, v) -> perms.put(k, List.copyOf(v)));
            String email = spec.email != null ? spec.email : (username.contains("@") ? username : null);
            users.put(username, new User(username, password,
                    spec.userId != null ? spec.userId : defaultUserId(username),
                    spec.name != null ? spec.name : username,
                    spec.nickname != null ? spec.nickname : username.split("@", 2)[0],
                    email, spec.emailVerified, Map.copyOf(perms)));
            return this;
        }

        /** Access-token lifetime ({@code exp - iat}, {@code expires_in}); default 86400 s. */
        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = positive(lifetime);
            return this;
        }

        /** ID-token lifetime; default 36000 s. */
        public Builder idTokenLifetime(Duration lifetime) {
            this.idTokenLifetime = positive(lifetime);
            return this;
        }

        /** The clock for {@code iat}, {@code exp} and expiry checks; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds the issuer (generating its first RSA key); call {@link TestIssuer#start()} to serve. */
        public TestIssuer build() {
            Registrations.check(apis, clients, users);
            return new TestIssuer(this);
        }

        private static Duration positive(Duration d) {
            if (d == null || d.isNegative() || d.isZero() || d.getNano() != 0) {
                throw new IllegalArgumentException("lifetime must be a positive whole number of seconds: " + d);
            }
            return d;
        }

        private static void requireText(String s, String what) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
        }
    }

    /** Settings of one registered API. */
    public static final class ApiSpec {
        private Algorithm algorithm = Algorithm.RS256;
        private byte[] secret;
        private TokenProfile profile = TokenProfile.AUTH0;
        private final List<String> scopes = new ArrayList<>();

        private ApiSpec() {
        }

        /** The API's scopes / permissions. */
        public ApiSpec scopes(String... scopes) {
            this.scopes.addAll(Arrays.asList(scopes));
            return this;
        }

        /** Sign this API's tokens with HS256 and this secret (UTF-8, at least 32 bytes). */
        public ApiSpec hs256(String secret) {
            byte[] bytes = Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8);
            if (bytes.length < 32) {
                throw new IllegalArgumentException("HS256 secret needs at least 32 bytes");
            }
            this.algorithm = Algorithm.HS256;
            this.secret = bytes;
            return this;
        }

        /** Sign this API's tokens with the tenant's RSA key (the default). */
        public ApiSpec rs256() {
            this.algorithm = Algorithm.RS256;
            this.secret = null;
            return this;
        }

        /** Access token profile; default {@link TokenProfile#AUTH0}. */
        public ApiSpec profile(TokenProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }
    }

    /** Settings of one registered application. */
    public static final class ClientSpec {
        private final Set<String> grantTypes = new LinkedHashSet<>(
                List.of(TokenService.GRANT_CLIENT_CREDENTIALS, TokenService.GRANT_PASSWORD));
        private final Map<String, List<String>> authorizations = new LinkedHashMap<>();

        private ClientSpec() {
        }

        /** Replaces the allowed grant types ({@code client_credentials}, {@code password}). */
        public ClientSpec grantTypes(String... grantTypes) {
            this.grantTypes.clear();
            this.grantTypes.addAll(Arrays.asList(grantTypes));
            return this;
        }

        /**
         * Creates a client grant for an API (Auth0 dashboard: Applications, APIs, "Authorize") with
         * these scopes; no scopes = authorized for the API with no scope.
         */
        public ClientSpec authorize(String audience, String... scopes) {
            authorizations.put(audience, List.of(scopes));
            return this;
        }
    }

    /** Profile and RBAC permissions of one user. */
    public static final class UserSpec {
        private String userId;
        private String name;
        private String nickname;
        private String email;
        private boolean emailVerified = true;
        private final Map<String, List<String>> permissions = new LinkedHashMap<>();

        private UserSpec() {
        }

        /** The {@code sub}; default {@code auth0|} + 24 hex digits derived from the username. */
        public UserSpec userId(String userId) {
            this.userId = userId;
            return this;
        }

        /** The {@code name} claim; default the username. */
        public UserSpec name(String name) {
            this.name = name;
            return this;
        }

        /** The {@code nickname} claim; default the part of the username before '@'. */
        public UserSpec nickname(String nickname) {
            this.nickname = nickname;
            return this;
        }

        /** The {@code email} claim; default the username when it contains '@'. */
        public UserSpec email(String email) {
            this.email = email;
            return this;
        }

        /** The {@code email_verified} claim; default true. */
        public UserSpec emailVerified(boolean verified) {
            this.emailVerified = verified;
            return this;
        }

        /** RBAC permissions of the user for an API. */
        public UserSpec permissions(String audience, String... permissions) {
            this.permissions.put(audience, List.of(permissions));
            return this;
        }
    }
}
