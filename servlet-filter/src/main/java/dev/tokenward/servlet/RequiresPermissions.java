package dev.tokenward.servlet;

import dev.tokenward.core.Requirement;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a servlet class: every request the servlet serves needs a valid bearer access token with these
 * values, each granted as an Auth0 RBAC permission (the {@code permissions} claim). Several of the {@code Requires*} annotations on one class must all hold, and so
 * must a path rule that also covers the request.
 *
 * <pre>{@code @RequiresPermissions(value = {"admin:all", "support:all"}, match = Requirement.Match.ANY)}</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RequiresPermissions {
  /** The values; at least one. */
  String[] value();

  /** {@code ALL} (default): every value must be granted; {@code ANY}: at least one. */
  Requirement.Match match() default Requirement.Match.ALL;

  /** Also ask the issuer whether the token is still active (revocation), via {@code validateOnline}. */
  boolean online() default false;
}
