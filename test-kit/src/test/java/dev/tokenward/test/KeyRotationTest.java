package dev.tokenward.test;

import static dev.tokenward.test.TestIssuer.DEFAULT_API;
import static dev.tokenward.test.TestIssuer.DEMO_CLIENT;
import static dev.tokenward.test.TestIssuer.DEMO_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyRotationTest {

    TestIssuer issuer;

    @BeforeEach
    void start() {
        issuer = TestIssuer.defaults().start();
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private boolean active(String token) {
        return (Boolean) Http.postForm(issuer.introspectionEndpoint(), Http.basic(DEMO_CLIENT, DEMO_SECRET),
                Http.form("token", token)).json().get("active");
    }

    @Test
    void rotateWhenOnceThenNewKeyFirstAndOldKeyKept() throws Exception {
        String kid0 = issuer.currentKeyId();
        String before = issuer.accessToken(DEMO_CLIENT, DEFAULT_API);

        String kid1 = issuer.rotateKeys();

        assertThat(kid1).isNotEqualTo(kid0).isEqualTo(issuer.currentKeyId());
        assertThat(Http.rsaKids(issuer)).containsExactly(kid1, kid0);
        String after = issuer.accessToken(DEMO_CLIENT, DEFAULT_API);
        assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(kid1);
        assertThat(Http.verifiedRs256(issuer, after).getJWTClaimsSet().getSubject()).isEqualTo("demo-client@clients");
        // the token signed before the rotation still verifies against the served JWKS
        assertThat(Http.verifiedRs256(issuer, before).getHeader().getKeyID()).isEqualTo(kid0);
        assertThat(active(before)).isTrue();
    }

    @Test
    void rotateWhenTwiceThenOldestKeyDroppedAndItsTokensInactive() throws Exception {
        String kid0 = issuer.currentKeyId();
        String before = issuer.accessToken(DEMO_CLIENT, DEFAULT_API);

        String kid1 = issuer.rotateKeys();
        String kid2 = issuer.rotateKeys();

        assertThat(Http.rsaKids(issuer)).containsExactly(kid2, kid1);
        assertThat(Http.jwks(issuer).getKeyByKeyId(kid0)).isNull();
        assertThatThrownBy(() -> Http.verifiedRs256(issuer, before)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("not in the served JWKS");
        assertThat(active(before)).isFalse();
    }

    @Test
    void rotateWhenCalledOverHttpThenNewKidServed() {
        String kid0 = issuer.currentKeyId();

        Http.Response r = Http.postForm(issuer.issuer() + "dev/rotate-keys", Http.form());

        assertThat(r.status()).isEqualTo(200);
        String kid1 = r.string("kid");
        assertThat(kid1).isNotEqualTo(kid0).isEqualTo(issuer.currentKeyId());
        assertThat(Http.rsaKids(issuer)).containsExactly(kid1, kid0);
        assertThat(r.json()).isEqualTo(Map.of("kid", kid1));
    }
}
