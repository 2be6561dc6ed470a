package dev.tokenward.jaxrs;

import dev.tokenward.core.Requirement;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The resource method (or every method of the resource class) needs a valid access token whose
 * granted <em>scopes</em> ({@code scope} or {@code scp} claim) include {@link #value()}: all of
 * them by default, at least one with {@code match = Requirement.Match.ANY}. A token that falls
 * short is answered {@code 403 insufficient_scope} with {@code scope="..."}.
 *
 * <p>Each value is one scope; an empty list, an empty value or a value with a space fails when
 * the application is deployed. Beside {@link RequiresPermissions} or {@code @RolesAllowed} on
 * the same element, every one of them must hold.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresScopes {
  /** The scopes, one per element. */
  String[] value();

  /** {@code ALL} (default): every scope; {@code ANY}: at least one. */
  Requirement.Match match() default Requirement.Match.ALL;
}
