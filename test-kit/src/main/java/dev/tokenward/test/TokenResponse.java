package dev.tokenward.test;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A successful token endpoint answer. {@code scope} and {@code idToken} may be null;
 * {@code dpopBound} answers {@code token_type: DPoP} (RFC 9449 section 5).
 */
record TokenResponse(String accessToken, long expiresIn, String scope, String idToken, boolean dpopBound) {

    TokenResponse(String accessToken, long expiresIn, String scope, String idToken) {
        this(accessToken, expiresIn, scope, idToken, false);
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("access_token", accessToken);
        if (idToken != null) {
            json.put("id_token", idToken);
        }
        if (scope != null) {
            json.put("scope", scope);
        }
        json.put("expires_in", expiresIn);
        json.put("token_type", dpopBound ? "DPoP" : "Bearer");
        return json;
    }
}
