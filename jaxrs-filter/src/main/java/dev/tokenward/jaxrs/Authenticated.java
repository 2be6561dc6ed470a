package dev.tokenward.jaxrs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The resource method (or every method of the resource class) needs a valid access token, and no
 * particular scope or permission.
 *
 * <p>May stand beside {@link RequiresScopes}, {@link RequiresPermissions} or
 * {@code @RolesAllowed} on the same element, to ask for an {@linkplain #online() online} check.
 * An annotation on a method replaces every tokenward and {@code jakarta.annotation.security}
 * annotation of its class.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Authenticated {
  /**
   * Also ask the issuer whether a JWT is still active (introspection or userinfo, see
   * {@code AccessTokenValidator.validateOnline}), for endpoints that must honour revocation.
   * Costs a call to the issuer per token, cached briefly.
   */
  boolean online() default false;
}
