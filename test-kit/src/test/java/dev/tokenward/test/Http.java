package dev.tokenward.test;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Real HTTP calls to a running TestIssuer, with java.net.http. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    record Response(int status, Map<String, Object> json, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String string(String field) {
            return (String) json.get(field);
        }
    }

    static Map<String, String> form(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static String encode(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    static Response get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    static Response getBearer(String url, String token) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build());
    }

    static Response postForm(String url, Map<String, String> params) {
        return postForm(url, null, params);
    }

    static Response postForm(String url, String authorization, Map<String, String> params) {
        return postRaw(url, authorization, "application/x-www-form-urlencoded", encode(params));
    }

    static Response postJson(String url, Map<String, ?> body) {
        return postRaw(url, null, "application/json", JSONObjectUtils.toJSONString(body));
    }

    static Response postRaw(String url, String authorization, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b.build());
    }

    static Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            Map<String, Object> json = r.body().isEmpty() ? Map.of() : JSONObjectUtils.parse(r.body());
            return new Response(r.statusCode(), json, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ParseException e) {
            throw new IllegalStateException("not JSON", e);
        }
    }

    static JWKSet jwks(TestIssuer issuer) {
        try {
            return JWKSet.parse(get(issuer.jwksUri()).raw().body());
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The kids of the served RSA keys, in the JWKS's order (the signing key first). */
    static List<String> rsaKids(TestIssuer issuer) {
        return jwks(issuer).getKeys().stream().filter(k -> k instanceof RSAKey).map(k -> k.getKeyID()).toList();
    }

    /** Parses a JWT and checks its RS256 signature against the JWKS served over HTTP. */
    static SignedJWT verifiedRs256(TestIssuer issuer, String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        RSAKey key = (RSAKey) jwks(issuer).getKeyByKeyId(jwt.getHeader().getKeyID());
        if (key == null) {
            throw new AssertionError("kid " + jwt.getHeader().getKeyID() + " not in the served JWKS");
        }
        JWSVerifier verifier = new RSASSAVerifier(key);
        if (!jwt.verify(verifier)) {
            throw new AssertionError("signature does not verify against the served JWKS");
        }
        return jwt;
    }

    /** The raw JSON payload of a JWT, to see whether aud is a string or an array. */
    static Map<String, Object> rawPayload(String jwt) throws ParseException {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return JSONObjectUtils.parse(payload);
    }
}
