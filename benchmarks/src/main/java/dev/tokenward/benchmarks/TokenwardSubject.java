package dev.tokenward.benchmarks;

import dev.tokenward.core.AccessTokenValidator;

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
 * </ul>
 *
 * A cold-start teardown calls {@link AccessTokenValidator#close()}, which stops its fetch threads.
 */
final class TokenwardSubject {

    private TokenwardSubject() {
    }

    static Subject create(Material m, Material.Alg alg, boolean tokenCache) {
        AccessTokenValidator.Builder b = AccessTokenValidator.builder()
                .issuer(m.issuer)
                .audience(Material.AUDIENCE)
                .algorithms(alg.name())
                .jwksUri(m.jwksUri);
        if (!tokenCache) {
            b.disableTokenCache();
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
