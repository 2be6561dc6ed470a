package dev.tokenward.benchmarks;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.ValidationListener;
import dev.tokenward.micrometer.TokenwardMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * tokenward core, configured as its Javadoc shows: exact issuer (trailing slash), the API identifier as audience,
 * the algorithm under test, and the JWKS location given directly (like every peer here; no discovery round trip).
 * Everything else is left at its default.
 *
 * <ul>
 *   <li>{@code tokenward}: defaults, which include the verified-token cache (10,000 entries, 5 min, keyed by a hash of
 *       the token). The {@value Material#VALID_TOKENS} distinct tokens all fit in it, so after the first pass the
 *       warm scenarios measure cache hits, not signature verification.</li>
 *   <li>{@code tokenward-nocache}: the same with {@code disableTokenCache()}: every token verified in full, the
 *       like-for-like comparison with the floor and the peers.</li>
 *   <li>{@code tokenward-listener}: {@code tokenward} with a {@code ValidationListener} that overrides nothing: what
 *       the listener SPI itself costs (two clock reads and the event calls), against {@code tokenward}'s none.</li>
 *   <li>{@code tokenward-metrics}: {@code tokenward} with {@code TokenwardMetrics} on a {@code SimpleMeterRegistry}:
 *       what the Micrometer meters cost on top.</li>
 * </ul>
 *
 * A cold-start teardown calls {@link AccessTokenValidator#close()}, which stops its fetch threads.
 */
final class TokenwardSubject {

    private TokenwardSubject() {
    }

    /** Which listener the validator gets. */
    enum Listening { NONE, NO_OP, MICROMETER }

    static Subject create(Material m, Material.Alg alg, boolean tokenCache) {
        return create(m, alg, tokenCache, Listening.NONE);
    }

    static Subject create(Material m, Material.Alg alg, boolean tokenCache, Listening listening) {
        AccessTokenValidator.Builder b = AccessTokenValidator.builder()
                .issuer(m.issuer)
                .audience(Material.AUDIENCE)
                .algorithms(alg.name())
                .jwksUri(m.jwksUri);
        if (!tokenCache) {
            b.disableTokenCache();
        }
        if (listening == Listening.NO_OP) {
            b.listener(new ValidationListener() { });
        } else if (listening == Listening.MICROMETER) {
            b.listener(TokenwardMetrics.of(new SimpleMeterRegistry()));
        }
        AccessTokenValidator validator = b.build();
        return new Subject() {
            @Override
            public Object validate(String token) throws Exception {
                return validator.validate(token);
            }

            @Override
            public void close() {
                validator.close();
            }
        };
    }
}
