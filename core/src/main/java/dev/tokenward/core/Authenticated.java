package dev.tokenward.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated resource needs a valid access token and no particular scope or permission: a
 * request without one is answered 401. Each filter documents where it honours the annotation (the
 * servlet filter: on the servlet class; the JAX-RS feature: on the resource class or method, a
 * method's annotations replacing its class's); {@link AnnotatedRequirements} reads it.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Authenticated {
  /**
   * Also ask the issuer whether the token is still active (introspection or userinfo, see
   * {@link AccessTokenValidator#validateOnline}), for resources that must honour revocation.
   * Costs a call to the issuer per token, cached briefly.
   */
  boolean online() default false;
}
