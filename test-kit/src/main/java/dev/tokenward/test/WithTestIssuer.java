package dev.tokenward.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs one {@link TestIssuer#defaults()} issuer for the annotated test class (and its nested
 * classes), handed to any test or lifecycle method that declares a {@link TestIssuer} parameter;
 * see {@link TestIssuerExtension} for the lifecycle. For a tenant of your own, register a
 * {@link TestIssuerExtension} in a static field instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TestIssuerExtension.class)
public @interface WithTestIssuer {
}
