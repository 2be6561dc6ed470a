package dev.tokenward.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.FakeIssuer;
import dev.tokenward.core.Requirement;
import dev.tokenward.servlet.JettyApp.Answer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The filter hands the whole request to core: DPoP-bound tokens with proofs (RFC 9449) over real HTTP. */
class DpopFilterTest {
  private static FakeIssuer issuer;
  private static JettyApp app;
  private static ECKey clientKey;

  @BeforeAll
  static void start() throws Exception {
    issuer = new FakeIssuer();
    clientKey = new ECKeyGenerator(Curve.P_256).generate();
    AccessTokenValidator validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .build();
    app = JettyApp.withFilter(BearerTokenFilter.builder(validator).authenticated("/api/private")
        .require("/api/admin", Requirement.anyOf("admin:all")).build(), context -> { });
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    issuer.close();
  }

  private static String bound() throws Exception {
    return issuer.jwt().claim("cnf", Map.of("jkt", clientKey.computeThumbprint().toString())).sign();
  }

  private static String proof(String method, String url, String token) throws Exception {
    byte[] ath = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
        .jwk(clientKey.toPublicJWK()).build(), new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
        .claim("htm", method).claim("htu", url).issueTime(new Date()).claim("ath", Base64URL.encode(ath).toString()).build());
    jwt.sign(new ECDSASigner(clientKey));
    return jwt.serialize();
  }

  @Test
  void requestWhenDpopBoundTokenWithAValidProofThen200() throws Exception {
    String token = bound();
    Answer a = app.get("/api/private", "Authorization", "DPoP " + token, "DPoP", proof("GET", app.url("/api/private"), token));
    assertThat(a.status()).as(a.body()).isEqualTo(200);
  }

  @Test
  void requestWhenTheProofIsForAnotherUrlThen401DpopChallengeInvalidDpopProof() throws Exception {
    String token = bound();
    Answer a = app.get("/api/private", "Authorization", "DPoP " + token, "DPoP", proof("GET", app.url("/api/admin"), token));
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.header("WWW-Authenticate")).startsWith("DPoP realm=\"tokenward\", algs=\"")
        .contains("error=\"invalid_dpop_proof\"");
  }

  @Test
  void requestWhenABoundTokenComesAsBearerThen401InvalidToken() throws Exception {
    Answer a = app.getWithToken("/api/private", bound());
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
  }

  @Test
  void requestWhenAValidDpopRequestLacksTheScopeThen403DpopChallenge() throws Exception {
    String token = bound();
    Answer a = app.get("/api/admin", "Authorization", "DPoP " + token, "DPoP", proof("GET", app.url("/api/admin"), token));
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.header("WWW-Authenticate")).startsWith("DPoP realm=\"tokenward\", algs=\"")
        .contains("error=\"insufficient_scope\"").contains("scope=\"admin:all\"");
  }
}
