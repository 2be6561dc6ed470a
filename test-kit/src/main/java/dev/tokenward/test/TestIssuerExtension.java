package dev.tokenward.test;

import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a {@link TestIssuer} for JUnit 5 tests and stops it afterwards, on a free loopback port.
 *
 * <ul>
 *   <li>In a {@code static} field annotated {@code @RegisterExtension} (or through
 *       {@link WithTestIssuer}): one issuer for the whole class, its nested classes included;
 *       before each test its endpoints come back up and its delays and request counts are cleared
 *       ({@link TestIssuer#reset()}), so one test's faults never leak into the next. Keys are kept.</li>
 *   <li>In an instance field annotated {@code @RegisterExtension}: a fresh issuer for each test.</li>
 * </ul>
 *
 * Test and lifecycle methods may also declare a {@link TestIssuer} parameter to receive it.
 * <pre>{@code
 * @RegisterExtension
 * static final TestIssuerExtension AUTH = new TestIssuerExtension();
 *
 * @Test
 * void readsMessages() {
 *     String token = AUTH.issuer().jwt().scopes("read:messages").sign();
 * }
 * }</pre>
 * JUnit is an optional dependency of tokenward-test: only this class and {@link WithTestIssuer} need it.
 */
public final class TestIssuerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    private final Supplier<TestIssuer> factory;
    private TestIssuer issuer;
    private String owner; // unique id of the extension context that started the issuer

    /** An extension for the {@link TestIssuer#defaults()} preset tenant. */
    public TestIssuerExtension() {
        this(TestIssuer::defaults);
    }

    /**
     * An extension for a tenant of your own, for example
     * {@code new TestIssuerExtension(TestIssuer.defaultsBuilder().api("https://orders.example", "read:orders"))}.
     * The builder is built once per issuer the extension starts.
     */
    public TestIssuerExtension(TestIssuer.Builder builder) {
        this(Objects.requireNonNull(builder, "builder")::build);
    }

    private TestIssuerExtension(Supplier<TestIssuer> factory) {
        this.factory = factory;
    }

    /** The running issuer. */
    public TestIssuer issuer() {
        TestIssuer i = issuer;
        if (i == null) {
            throw new IllegalStateException("the TestIssuer runs only while a test of the class that registered"
                    + " the extension runs");
        }
        return i;
    }

    /** Starts the class-wide issuer (static registration); nested classes reuse it. */
    @Override
    public void beforeAll(ExtensionContext context) {
        if (issuer == null) {
            start(context);
        }
    }

    /** Stops the issuer when the class that started it is done. */
    @Override
    public void afterAll(ExtensionContext context) {
        stopIfOwner(context);
    }

    /** Starts a per-test issuer (instance registration), or resets the class-wide one. */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (issuer == null) {
            start(context);
        } else {
            issuer.reset();
        }
    }

    /** Stops a per-test issuer. */
    @Override
    public void afterEach(ExtensionContext context) {
        stopIfOwner(context);
    }

    /** Resolves parameters of type {@link TestIssuer}. */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestIssuer.class;
    }

    /** The running issuer. */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (issuer == null) {
            throw new ParameterResolutionException("no TestIssuer runs yet for " + context.getDisplayName()
                    + "; register the extension in a static field to use it in constructors or @BeforeAll");
        }
        return issuer;
    }

    private void start(ExtensionContext context) {
        issuer = factory.get().start();
        owner = context.getUniqueId();
    }

    private void stopIfOwner(ExtensionContext context) {
        if (issuer != null && context.getUniqueId().equals(owner)) {
            issuer.close();
            issuer = null;
            owner = null;
        }
    }
}
