package dev.tokenward.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.AccessTokenValidator;
import org.junit.jupiter.api.Test;

/** The annotation form: the preset tenant, handed to the test as a parameter. */
@WithTestIssuer
class WithTestIssuerTest {

    @Test
    void annotationWhenTestDeclaresTheIssuerThenItRunsWithThePreset(TestIssuer issuer) throws Exception {
        assertThat(issuer.audience()).isEqualTo(TestIssuer.DEFAULT_API);
        try (AccessTokenValidator v = issuer.validator()) {
            assertThat(v.validate(issuer.jwt().scopes(TestIssuer.READ_MESSAGES).sign()).scopes())
                    .containsExactly(TestIssuer.READ_MESSAGES);
        }
    }
}
