package dev.tokenward.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated resource needs a valid sender-constrained access token: DPoP-bound with its proof
 * (RFC 9449), or certificate-bound ({@code cnf x5t#S256}, RFC 8705) with the matching TLS client
 * certificate. A plain bearer token is answered 401 {@code invalid_token}. Beside {@code Requires*}
 * annotations on the same element, every one must hold. The path rule keyword
 * {@code sender-constrained} says the same ({@link SenderConstraint#DPOP_OR_MTLS}).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresSenderConstrained {
}
