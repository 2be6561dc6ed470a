package dev.tokenward.test;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tokenward.test.Registrations.Client;
import dev.tokenward.test.Registrations.User;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the {@link TestIssuer}: one handler on "/" that dispatches on the exact path.
 * Request bodies are capped at {@value #MAX_BODY_BYTES} bytes. Nothing here logs a token or a secret.
 */
final class HttpEndpoints implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);

    static final int MAX_BODY_BYTES = 64 * 1024;
    /** How much of a refused, oversized body is still read (and dropped) before answering 413. */
    static final int DISCARD_LIMIT = 1024 * 1024;

    static final String DISCOVERY = "/.well-known/openid-configuration";
    static final String JWKS = "/.well-known/jwks.json";
    static final String TOKEN = "/oauth/token";
    static final String USERINFO = "/userinfo";
    static final String INTROSPECT = "/oauth/introspect";
    static final String REVOKE = "/oauth/revoke";
    static final String ROTATE = "/dev/rotate-keys";

    private final TokenService tokens;
    private final KeyRing keys;
    private final Supplier<Map<String, Object>> discovery;
    private final EndpointControls controls;
    private final DpopProofCheck dpop;
    private final String tokenEndpoint;

    HttpEndpoints(TokenService tokens, KeyRing keys, Supplier<Map<String, Object>> discovery,
                  EndpointControls controls, DpopProofCheck dpop, String tokenEndpoint) {
        this.tokens = tokens;
        this.keys = keys;
        this.discovery = discovery;
        this.controls = controls;
        this.dpop = dpop;
        this.tokenEndpoint = tokenEndpoint;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        try {
            IssuerEndpoint endpoint = IssuerEndpoint.ofPath(path);
            EndpointControls.State state = endpoint == null ? EndpointControls.State.UP : controls.arrive(endpoint);
            if (state == EndpointControls.State.CUT_OFF) {
                // closing an exchange that sent no status makes the JDK's server drop the connection:
                // the client meets an I/O error, as when the issuer cannot be reached
                return;
            }
            if (state == EndpointControls.State.DOWN) {
                discardRest(ex.getRequestBody());
                ex.getResponseHeaders().set("Retry-After", "1");
                send(ex, 503, error("temporarily_unavailable", "This endpoint was taken down by the test"));
                return;
            }
            switch (path) {
                case DISCOVERY -> {
                    requireMethod(ex, "GET");
                    send(ex, 200, discovery.get());
                }
                case JWKS -> {
                    requireMethod(ex, "GET");
                    send(ex, 200, keys.publicJwks().toJSONObject(true));
                }
                case TOKEN -> {
                    requireMethod(ex, "POST");
                    token(ex);
                }
                case USERINFO -> {
                    requireMethod(ex, "GET");
                    userinfo(ex);
                }
                case INTROSPECT -> {
                    requireMethod(ex, "POST");
                    Map<String, String> params = readParams(ex);
                    authenticateClient(ex, params);
                    send(ex, 200, tokens.introspect(required(params, "token")));
                }
                case REVOKE -> {
                    requireMethod(ex, "POST");
                    Map<String, String> params = readParams(ex);
                    Client client = authenticateClient(ex, params);
                    tokens.revoke(required(params, "token"), client.clientId());
                    send(ex, 200, Map.of());
                }
                case ROTATE -> {
                    requireMethod(ex, "POST");
                    send(ex, 200, Map.of("kid", keys.rotate().getKeyID()));
                }
                default -> send(ex, 404, error("not_found", "No such endpoint"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the issuer is closing while a delayed answer waits
        } catch (TestIssuerException e) {
            sendError(ex, e);
        } catch (RuntimeException e) {
            LOG.warn("test issuer: internal error on {} {}", ex.getRequestMethod(), path, e);
            send(ex, 500, error("server_error", "Internal error"));
        } finally {
            ex.close();
        }
    }

    private void token(HttpExchange ex) throws IOException {
        Map<String, String> params = readParams(ex);
        String grantType = params.get("grant_type");
        if (grantType == null || grantType.isEmpty()) {
            throw new TestIssuerException(400, "invalid_request", "Missing required parameter: grant_type");
        }
        if (!grantType.equals(TokenService.GRANT_CLIENT_CREDENTIALS) && !grantType.equals(TokenService.GRANT_PASSWORD)) {
            throw new TestIssuerException(400, "unsupported_grant_type", "Unsupported grant type: " + grantType);
        }
        Client client = authenticateClient(ex, params);
        if (!client.grantTypes().contains(grantType)) {
            throw new TestIssuerException(403, "unauthorized_client",
                    "Grant type '" + grantType + "' not allowed for the client.");
        }
        // RFC 9449 section 5: a proof binds the token to its key; a bad one is 400 invalid_dpop_proof
        String jkt = dpop.check(ex.getRequestHeaders().get("DPoP"), ex.getRequestMethod(), tokenEndpoint);
        TokenResponse answer;
        if (grantType.equals(TokenService.GRANT_CLIENT_CREDENTIALS)) {
            answer = tokens.clientCredentials(client, params.get("audience"), params.get("scope"), jkt);
        } else {
            User user = tokens.authenticateUser(required(params, "username"), required(params, "password"))
                    .orElseThrow(() -> new TestIssuerException(403, "invalid_grant", "Wrong email or password."));
            answer = tokens.password(client, user, params.get("audience"), params.get("scope"), params.get("nonce"),
                    params.get("acr_values"), jkt);
        }
        send(ex, 200, answer.toJson());
    }

    private void userinfo(HttpExchange ex) throws IOException {
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"dev-issuer\"");
            send(ex, 401, error("invalid_request", "Missing bearer access token"));
            return;
        }
        try {
            send(ex, 200, tokens.userinfo(authorization.substring(7).trim()));
        } catch (TestIssuerException e) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"dev-issuer\", error=\"invalid_token\", "
                    + "error_description=\"" + e.description() + "\"");
            throw e;
        }
    }

    // ---------------------------------------------------------------- client authentication

    /**
     * client_secret_basic or client_secret_post (RFC 6749 2.3.1); using both at once is refused.
     * Failure: 401 invalid_client, with a Basic challenge when the client tried Basic.
     */
    private Client authenticateClient(HttpExchange ex, Map<String, String> params) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String id;
        String secret;
        boolean basic = header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
        if (basic) {
            if (params.containsKey("client_secret")) {
                throw new TestIssuerException(400, "invalid_request",
                        "Use only one client authentication method (HTTP Basic or client_secret in the body)");
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalidClient(ex, true);
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw invalidClient(ex, true);
            }
            try {
                id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
                secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalidClient(ex, true);
            }
            String bodyId = params.get("client_id");
            if (bodyId != null && !bodyId.equals(id)) {
                throw invalidClient(ex, true);
            }
        } else {
            id = params.get("client_id");
            secret = params.get("client_secret");
        }
        Optional<Client> client = tokens.authenticate(id, secret);
        if (client.isEmpty()) {
            throw invalidClient(ex, basic);
        }
        return client.get();
    }

    private static TestIssuerException invalidClient(HttpExchange ex, boolean basic) {
        if (basic) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"dev-issuer\"");
        }
        return new TestIssuerException(401, "invalid_client", "Client authentication failed");
    }

    // ---------------------------------------------------------------- request parsing

    private static void requireMethod(HttpExchange ex, String method) {
        if (!ex.getRequestMethod().equalsIgnoreCase(method)) {
            ex.getResponseHeaders().set("Allow", method);
            throw new TestIssuerException(405, "invalid_request", "Method not allowed; use " + method);
        }
    }

    private static String required(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null || value.isEmpty()) {
            throw new TestIssuerException(400, "invalid_request", "Missing required parameter: " + name);
        }
        return value;
    }

    /** Form-encoded or JSON body (Auth0 accepts both), at most {@value #MAX_BODY_BYTES} bytes. */
    static Map<String, String> readParams(HttpExchange ex) throws IOException {
        String contentType = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("");
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        String body = readBody(ex);
        if (mediaType.equals("application/json")) {
            return parseJson(body);
        }
        if (mediaType.equals("application/x-www-form-urlencoded") || (mediaType.isEmpty() && body.isEmpty())) {
            return parseForm(body);
        }
        throw new TestIssuerException(400, "invalid_request",
                "Unsupported Content-Type; use application/x-www-form-urlencoded or application/json");
    }

    private static String readBody(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new TestIssuerException(400, "invalid_request", "Bad Content-Length");
            }
            if (declared > MAX_BODY_BYTES) {
                discardRest(ex.getRequestBody());
                throw tooLarge();
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                discardRest(in);
                throw tooLarge();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * Reads and drops up to {@value #DISCARD_LIMIT} bytes of a refused body: a client still sending
     * then reads the 413 instead of a connection reset by unread data (which made the 413 test flaky
     * under load).
     */
    private static void discardRest(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        long left = DISCARD_LIMIT;
        for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
            left -= n;
        }
    }

    private static TestIssuerException tooLarge() {
        return new TestIssuerException(413, "invalid_request", "Request body larger than " + MAX_BODY_BYTES + " bytes");
    }

    static Map<String, String> parseForm(String body) {
        Map<String, String> params = new HashMap<>();
        if (body.isEmpty()) {
            return params;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new TestIssuerException(400, "invalid_request", "Malformed form body");
            }
            if (params.put(name, value) != null) {
                throw new TestIssuerException(400, "invalid_request", "Parameter repeated: " + name);
            }
        }
        return params;
    }

    private static Map<String, String> parseJson(String body) {
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            throw new TestIssuerException(400, "invalid_request", "Malformed JSON body");
        }
        Map<String, String> params = new HashMap<>();
        for (Map.Entry<String, Object> e : json.entrySet()) {
            Object v = e.getValue();
            if (v == null) {
                continue;
            }
            if (v instanceof Map || v instanceof List) {
                throw new TestIssuerException(400, "invalid_request", "Parameter must be a string: " + e.getKey());
            }
            params.put(e.getKey(), String.valueOf(v));
        }
        return params;
    }

    // ---------------------------------------------------------------- responses

    private static Map<String, Object> error(String error, String description) {
        return Map.of("error", error, "error_description", description);
    }

    private static void sendError(HttpExchange ex, TestIssuerException e) throws IOException {
        send(ex, e.status(), error(e.error(), e.description()));
    }

    private static void send(HttpExchange ex, int status, Map<String, ?> json) throws IOException {
        byte[] body = JSONObjectUtils.toJSONString(json).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("Pragma", "no-cache");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
