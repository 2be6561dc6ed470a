package dev.tokenward.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * tokenward's {@code tokenward} subject (defaults, token cache on, no listener) run on another build of core, loaded
 * from its jar in a class loader of its own beside this benchmark's core: a before/after comparison of core in one
 * JMH run, on the same tokens, JWKS and load. The jar is named by a system property, which must reach the forks:
 * {@code -jvmArgsAppend -Dtokenward.core.before=/path/tokenward-core.jar}.
 *
 * <ul>
 *   <li>{@code tokenward-before}: core from {@code tokenward.core.before}; in docs/benchmarks.md the commit before
 *       the listener SPI.</li>
 *   <li>{@code tokenward-after}: core from {@code tokenward.core.after}; there, the commit that added the SPI.</li>
 * </ul>
 *
 * Both are called through the same {@link MethodHandle}, so the call costs both the same; compare them with each
 * other, not with {@code tokenward}, which is called directly. Core's dependencies (Nimbus, Caffeine, OkHttp,
 * slf4j) come from this jar for both.
 */
final class OtherCoreSubject {

    private OtherCoreSubject() {
    }

    static Subject create(String property, Material m, Material.Alg alg) throws Exception {
        String jar = System.getProperty(property);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("-D" + property + "=path/to/tokenward-core.jar is required for this subject"
                    + " (pass it to the forks with -jvmArgsAppend); got " + jar);
        }
        ClassLoader loader = new CoreFirst(new URL[] {Path.of(jar).toUri().toURL()},
                OtherCoreSubject.class.getClassLoader());
        Class<?> validatorClass = loader.loadClass("dev.tokenward.core.AccessTokenValidator");
        Object builder = validatorClass.getMethod("builder").invoke(null);
        Class<?> b = builder.getClass();
        b.getMethod("issuer", String.class).invoke(builder, m.issuer);
        b.getMethod("audience", String[].class).invoke(builder, (Object) new String[] {Material.AUDIENCE});
        b.getMethod("algorithms", String[].class).invoke(builder, (Object) new String[] {alg.name()});
        b.getMethod("jwksUri", String.class).invoke(builder, m.jwksUri);
        Object validator = b.getMethod("build").invoke(builder);
        Class<?> verified = loader.loadClass("dev.tokenward.core.VerifiedToken");
        MethodHandle validate = MethodHandles.publicLookup()
                .findVirtual(validatorClass, "validate", MethodType.methodType(verified, String.class))
                .bindTo(validator)
                .asType(MethodType.methodType(Object.class, String.class));
        MethodHandle close = MethodHandles.publicLookup()
                .findVirtual(validatorClass, "close", MethodType.methodType(void.class)).bindTo(validator);
        return new Subject() {
            @Override
            public Object validate(String token) throws Exception {
                try {
                    return (Object) validate.invokeExact(token);
                } catch (Exception | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }

            @Override
            public void close() {
                try {
                    close.invoke();
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }
        };
    }

    /** Loads {@code dev.tokenward.core} from the given jar, everything else from the parent. */
    private static final class CoreFirst extends URLClassLoader {
        CoreFirst(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.tokenward.core.")) {
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
}
