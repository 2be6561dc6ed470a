package dev.tokenward.jaxrs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A public resource that personalises its answer when the caller presents a valid token: a
 * request without credentials passes as anonymous ({@link Tokens#find} is empty), one with a
 * valid bearer token is authenticated as on a protected resource, and one with a bad token
 * (malformed, invalid, expired, several tokens) is refused exactly as a protected resource would
 * refuse it: a broken token is never silently ignored here. On a resource class or method; a
 * method's annotations replace its class's; beside any other security annotation it is a
 * deployment error.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface OptionalAuthentication {}
