package dev.tokenward.benchmarks;

import dev.tokenward.core.AccessTokenValidator;
import okhttp3.OkHttpClient;

import java.util.concurrent.TimeUnit;

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
 * Each validator gets its own {@link OkHttpClient} built like core's default one (same timeouts), so that a cold-start
 * teardown can release its connections and dispatcher threads; nothing else differs from the default.
 */
final class TokenwardSubject {

    private TokenwardSubject() {
    }

    static Subject create(Material m, Material.Alg alg, boolean tokenCache) {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(2, TimeUnit.SECONDS)
                .readTimeout(3, TimeUnit.SECONDS)
                .writeTimeout(3, TimeUnit.SECONDS)
                .callTimeout(5, TimeUnit.SECONDS)
                .followSslRedirects(false)
                .build();
        AccessTokenValidator.Builder b = AccessTokenValidator.builder()
                .issuer(m.issuer)
                .audience(Material.AUDIENCE)
                .algorithms(alg.name())
                .jwksUri(m.jwksUri)
                .httpClient(http);
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
                http.dispatcher().executorService().shutdown();
                http.connectionPool().evictAll();
            }
        };
    }
}
