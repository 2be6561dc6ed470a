package dev.tokenward.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated resource needs a valid access token that grants {@link #value()}, each as an Auth0
 * RBAC <em>permission</em> ({@code permissions} claim): all of them by default, at least one with
 * {@code match = Requirement.Match.ANY}. No token is answered 401, a token that falls short 403
 * {@code insufficient_scope} with {@code scope="..."}; beside other {@code Requires*} annotations
 * on the same element, every one must hold. Each filter documents where it honours it (servlet
 * filter: on the servlet class; JAX-RS: on the resource class or method, a method's annotations
 * replacing its class's); {@link AnnotatedRequirements} reads it and refuses an empty list, an
 * empty value or a value with a space.
 *
 * <pre>{@code @RequiresPermissions(value = {"admin:all", "support:all"}, match = Requirement.Match.ANY)}</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresPermissions {
  /** The permissions, one per element; at least one. */
  String[] value();

  /** {@code ALL} (default): every value must be granted; {@code ANY}: at least one. */
  Requirement.Match match() default Requirement.Match.ALL;

  /** Also ask the issuer whether the token is still active (revocation), as {@link Authenticated#online()}. */
  boolean online() default false;
}
