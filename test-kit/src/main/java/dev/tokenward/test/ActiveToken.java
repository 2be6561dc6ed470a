package dev.tokenward.test;

import dev.tokenward.test.Registrations.User;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the issuer knows about a valid access token. {@code audience} is a String or a List;
 * {@code permissions} is null when the token carries no permissions claim; {@code user} is null
 * for client-credentials tokens; {@code extraClaims} are further claims a test gave an opaque
 * token ({@link OpaqueTokenBuilder#claim}), answered by userinfo and introspection.
 */
record ActiveToken(String subject, String clientId, List<String> scopes, List<String> permissions,
                   Instant issuedAt, Instant expiresAt, Object audience, boolean opaque, User user,
                   Map<String, Object> extraClaims) {

    boolean hasAudience(String aud) {
        return audience instanceof List<?> l ? l.contains(aud) : aud.equals(audience);
    }
}
