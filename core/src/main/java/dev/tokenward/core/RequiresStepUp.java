package dev.tokenward.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated resource needs a valid access token whose user authenticated strongly and recently
 * enough (RFC 9470 step-up, see {@link StepUp}): an {@code acr} among {@link #acr()} or an
 * {@code amr} entry among {@link #amr()}, and an {@code auth_time} at most {@link #maxAgeSeconds()}
 * ago. A token that falls short is answered 401 {@code insufficient_user_authentication} with
 * {@code acr_values} and/or {@code max_age} in the challenge. Beside {@code Requires*} annotations on
 * the same element, every one must hold.
 *
 * <pre>{@code
 * @RequiresStepUp(acr = "http://schemas.openid.net/pape/policies/2007/06/multi-factor", amr = "mfa", maxAgeSeconds = 300)
 * @RequiresStepUp // the step-up policy configured on the filter (stepUp(...)), for values read from configuration
 * }</pre>
 *
 * Without any attribute it stands for the policy given to the servlet filter's or JAX-RS feature's
 * {@code stepUp(...)} setting; if none is given, deployment fails naming the annotated element.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresStepUp {
  /** Accepted {@code acr} values, most preferred first; the challenge's {@code acr_values}. */
  String[] acr() default {};

  /** Accepted {@code amr} entries, such as {@code mfa}: alternatives to {@link #acr()}. */
  String[] amr() default {};

  /** How many seconds ago {@code auth_time} may be; 0 (default) for no limit. */
  long maxAgeSeconds() default 0;

  /** Also ask the issuer whether the token is still active (revocation), as {@link Authenticated#online()}. */
  boolean online() default false;
}
