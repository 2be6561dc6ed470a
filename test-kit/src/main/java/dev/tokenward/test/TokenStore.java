package dev.tokenward.test;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The issuer's token state: the opaque tokens it handed out and the JWTs revoked before they
 * expire. Tokens are kept only as SHA-256 hashes; expired entries are pruned as the maps grow.
 */
final class TokenStore {

    /** Prune expired revocation / opaque entries once the maps grow past this. */
    private static final int PRUNE_THRESHOLD = 1_000;

    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, ActiveToken> opaqueTokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Instant> revokedJwts = new ConcurrentHashMap<>();

    /** A new random opaque token (32 bytes, base64url) that stands for {@code info}. */
    String newOpaque(ActiveToken info, Instant now) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        if (opaqueTokens.size() > PRUNE_THRESHOLD) {
            opaqueTokens.values().removeIf(t -> !t.expiresAt().isAfter(now));
        }
        opaqueTokens.put(Sha256.hex(token), info);
        return token;
    }

    /** The facts of an opaque token handed out and not yet expired or revoked. */
    Optional<ActiveToken> opaque(String token, Instant now) {
        ActiveToken t = opaqueTokens.get(Sha256.hex(token));
        return t != null && t.expiresAt().isAfter(now) ? Optional.of(t) : Optional.empty();
    }

    boolean isRevokedJwt(String token) {
        return revokedJwts.containsKey(Sha256.hex(token));
    }

    /** Forgets an opaque token, or lists a JWT as revoked until it expires anyway. */
    void revoke(String token, ActiveToken active, Instant now) {
        if (active.opaque()) {
            opaqueTokens.remove(Sha256.hex(token));
        } else {
            if (revokedJwts.size() > PRUNE_THRESHOLD) {
                revokedJwts.values().removeIf(exp -> !exp.isAfter(now));
            }
            revokedJwts.put(Sha256.hex(token), active.expiresAt());
        }
    }
}
