package dev.tokenward.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.VerifiedToken;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * JUnit is an optional dependency: the issuer, its builders and the validator call must work on a
 * class path without it. The kit's classes are loaded again by a loader that hides {@code org.junit}.
 */
class WithoutJUnitTest {

    /** Loads dev.tokenward.test.* itself (child first) and refuses every org.junit class. */
    private static final class NoJUnitLoader extends URLClassLoader {
        NoJUnitLoader(URL kit, ClassLoader parent) {
            super(new URL[] {kit}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("org.junit.")) {
                throw new ClassNotFoundException(name + " is hidden by this test");
            }
            if (!name.startsWith("dev.tokenward.test.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    @Test
    void testIssuerWhenJUnitIsAbsentThenStartsMintsAndBuildsTheValidator() throws Exception {
        URL kit = TestIssuer.class.getProtectionDomain().getCodeSource().getLocation();
        try (NoJUnitLoader loader = new NoJUnitLoader(kit, WithoutJUnitTest.class.getClassLoader())) {
            Class<?> type = loader.loadClass(TestIssuer.class.getName());
            assertThat(type).isNotSameAs(TestIssuer.class);
            AutoCloseable issuer = (AutoCloseable) type.getMethod("defaults").invoke(null);
            try {
                type.getMethod("start").invoke(issuer);
                Object jwt = type.getMethod("jwt").invoke(issuer);
                String token = (String) jwt.getClass().getMethod("sign").invoke(jwt);
                try (AccessTokenValidator v = (AccessTokenValidator) type.getMethod("validator").invoke(issuer)) {
                    VerifiedToken t = v.validate(token);
                    assertThat(t.subject()).isEqualTo(JwtBuilder.DEFAULT_SUBJECT);
                }
            } finally {
                issuer.close();
            }
            // the loader really hides JUnit: the one class that needs it cannot be loaded through it
            assertThatThrownBy(() -> Class.forName(TestIssuerExtension.class.getName(), true, loader))
                    .isInstanceOf(NoClassDefFoundError.class);
        }
    }
}
