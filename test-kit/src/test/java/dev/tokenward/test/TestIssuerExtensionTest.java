package dev.tokenward.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.AccessTokenValidator;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JUnit 5 extension: one issuer per class in a static field, reset between tests, injected as a parameter. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestIssuerExtensionTest {

    @RegisterExtension
    static final TestIssuerExtension AUTH = new TestIssuerExtension();

    static TestIssuer fromBeforeAll;
    static final Set<Integer> PORTS = new HashSet<>();

    @BeforeAll
    static void before(TestIssuer issuer) {
        fromBeforeAll = issuer;
        assertThat(issuer.port()).isPositive();
    }

    @AfterAll
    static void allTestsSawOneIssuer() {
        assertThat(PORTS).hasSize(1);
    }

    @Test
    @Order(1)
    void staticFieldWhenTestRunsThenOneRunningIssuerAlsoInjected(TestIssuer injected) throws Exception {
        assertThat(injected).isSameAs(AUTH.issuer()).isSameAs(fromBeforeAll);
        PORTS.add(injected.port());
        try (AccessTokenValidator v = injected.validator()) {
            assertThat(v.validate(injected.jwt().sign()).subject()).isEqualTo(JwtBuilder.DEFAULT_SUBJECT);
        }
        AUTH.issuer().takeDown(IssuerEndpoint.JWKS);
        assertThat(Http.get(AUTH.issuer().jwksUri()).status()).isEqualTo(503);
    }

    @Test
    @Order(2)
    void staticFieldWhenNextTestRunsThenEndpointsAreBackAndCountsCleared() {
        PORTS.add(AUTH.issuer().port());
        assertThat(AUTH.issuer().requestCount(IssuerEndpoint.JWKS)).isZero();
        assertThat(Http.get(AUTH.issuer().jwksUri()).status()).isEqualTo(200);
    }

    @Nested
    class Inner {
        @Test
        void nestedClassWhenRunsThenSameIssuer(TestIssuer injected) {
            PORTS.add(injected.port());
            assertThat(injected).isSameAs(fromBeforeAll);
        }
    }

    @Nested
    class PerTest {
        @RegisterExtension
        final TestIssuerExtension own = new TestIssuerExtension(TestIssuer.builder().api("https://own.example", "x"));

        @Test
        void instanceFieldWhenTestRunsThenAFreshIssuerOfItsOwnTenant() {
            assertThat(own.issuer()).isNotSameAs(AUTH.issuer());
            assertThat(own.issuer().audience()).isEqualTo("https://own.example");
            assertThat(Http.get(own.issuer().jwksUri()).status()).isEqualTo(200);
        }
    }
}
