package dev.tokenward.servlet;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a servlet class: every request the servlet serves needs a valid bearer access token, with no
 * particular scope. {@link BearerTokenFilter} finds it through the request's servlet mapping.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Authenticated {
  /** Also ask the issuer whether the token is still active (revocation), via {@code validateOnline}. */
  boolean online() default false;
}
