package dev.tokenward.benchmarks;

import java.io.IOException;

/**
 * One token validator under test, configured for one issuer, one audience and one algorithm, with its keys
 * fetched from the loopback JWKS. {@link #validate} returns the library's own result object (a claims set, a
 * decoded token ...) or throws the library's own exception; the benchmarks hand the result to JMH.
 */
public interface Subject extends AutoCloseable {

    Object validate(String token) throws Exception;

    /** False only for the bare-signature floor, which by design does not look at iss/aud/exp. */
    default boolean checksClaims() {
        return true;
    }

    @Override
    default void close() throws IOException {
    }
}
