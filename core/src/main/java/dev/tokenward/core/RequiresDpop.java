package dev.tokenward.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated resource needs a valid DPoP-bound access token under the {@code DPoP} scheme with a
 * valid proof (RFC 9449), even where the issuer's policy also allows bearer tokens: a token under
 * {@code Bearer} is answered 401 {@code invalid_token} with a {@code DPoP} challenge. Beside
 * {@code Requires*} annotations on the same element, every one must hold. The path rule keyword
 * {@code dpop} says the same ({@link SenderConstraint#DPOP}).
 *
 * <p>If DPoP is off for an issuer of the validator, the filter refuses to start (or deploy), naming
 * the annotated element: the requirement could never be met.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresDpop {
}
