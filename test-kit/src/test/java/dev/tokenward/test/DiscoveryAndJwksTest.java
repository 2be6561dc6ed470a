package dev.tokenward.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DiscoveryAndJwksTest {

    static TestIssuer issuer;

    @BeforeAll
    static void start() {
        issuer = TestIssuer.defaults().start();
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @Test
    void discoveryWhenFetchedThenAuth0StyleUrlsWithTrailingSlashIssuer() {
        Http.Response r = Http.get(issuer.discoveryUri());

        String iss = "http://127.0.0.1:" + issuer.port() + "/";
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        Map<String, Object> doc = r.json();
        assertThat(doc).containsEntry("issuer", iss)
                .containsEntry("jwks_uri", iss + ".well-known/jwks.json")
                .containsEntry("token_endpoint", iss + "oauth/token")
                .containsEntry("userinfo_endpoint", iss + "userinfo")
                .containsEntry("introspection_endpoint", iss + "oauth/introspect")
                .containsEntry("revocation_endpoint", iss + "oauth/revoke")
                .containsEntry("subject_types_supported", List.of("public"))
                .containsEntry("id_token_signing_alg_values_supported", List.of("RS256"))
                .containsEntry("grant_types_supported", List.of("client_credentials", "password"))
                .containsEntry("response_types_supported", List.of())
                .containsEntry("scopes_supported", List.of("openid", "profile", "email", "read:messages", "admin:all"));
        assertThat(issuer.issuer()).isEqualTo(iss);
        assertThat(issuer.jwksUri()).isEqualTo(iss + ".well-known/jwks.json");
        assertThat(issuer.tokenEndpoint()).isEqualTo(iss + "oauth/token");
        assertThat(issuer.userinfoEndpoint()).isEqualTo(iss + "userinfo");
        assertThat(issuer.introspectionEndpoint()).isEqualTo(iss + "oauth/introspect");
    }

    @Test
    void jwksWhenFetchedThenOneRsa2048SigningKeyFirstThenAP256AndAnEd25519Key() throws Exception {
        Http.Response r = Http.get(issuer.jwksUri());

        assertThat(r.status()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) r.json().get("keys");
        assertThat(keys).hasSize(3);
        assertThat(keys.get(0)).containsOnlyKeys("kty", "kid", "use", "alg", "n", "e")
                .containsEntry("kty", "RSA")
                .containsEntry("use", "sig")
                .containsEntry("alg", "RS256")
                .containsEntry("kid", issuer.currentKeyId());
        assertThat(keys.get(1)).containsOnlyKeys("kty", "kid", "use", "alg", "crv", "x", "y")
                .containsEntry("kty", "EC").containsEntry("crv", "P-256").containsEntry("alg", "ES256");
        assertThat(keys.get(2)).containsOnlyKeys("kty", "kid", "use", "alg", "crv", "x")
                .containsEntry("kty", "OKP").containsEntry("crv", "Ed25519").containsEntry("alg", "EdDSA");

        List<JWK> parsed = JWKSet.parse(r.raw().body()).getKeys();
        assertThat(parsed).allSatisfy(k -> {
            assertThat(k.isPrivate()).isFalse();
            assertThat(k.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        });
        assertThat(parsed.get(0).getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(((RSAKey) parsed.get(0)).size()).isEqualTo(2048);
    }

    @Test
    void unknownPathThen404() {
        Http.Response r = Http.get(issuer.issuer() + "userinfo/extra");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json()).containsEntry("error", "not_found");
    }
}
