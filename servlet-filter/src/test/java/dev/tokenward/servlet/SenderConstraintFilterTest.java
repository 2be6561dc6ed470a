package dev.tokenward.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.tokenward.core.DpopPolicy;
import dev.tokenward.core.FakeIssuer;
import dev.tokenward.core.RequiresDpop;
import dev.tokenward.core.RequiresSenderConstrained;
import dev.tokenward.core.SenderConstraint;
import dev.tokenward.servlet.JettyApp.Answer;
import jakarta.servlet.ServletException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-endpoint sender constraints in the servlet filter: the path rule words {@code dpop} and
 * {@code sender-constrained}, and {@code @RequiresDpop} / {@code @RequiresSenderConstrained} on a servlet
 * class, under a validator whose DPoP policy is {@code allowed}; and the start-up failure where DPoP is off.
 */
class SenderConstraintFilterTest {
  private static final String DPOP_CHALLENGE = "DPoP realm=\"tokenward\", algs=\"ES256 EdDSA Ed25519 RS256 PS256\"";
  private static FakeIssuer issuer;
  private static AccessTokenValidator validator;
  private static JettyApp app;
  private static ECKey clientKey;

  /** Needs a DPoP-bound token. */
  @RequiresDpop
  public static class DpopServlet extends TestServlets.Echo {}

  /** Needs a DPoP- or certificate-bound token. */
  @RequiresSenderConstrained
  public static class ConstrainedServlet extends TestServlets.Echo {}

  @BeforeAll
  static void start() throws Exception {
    issuer = new FakeIssuer();
    clientKey = new ECKeyGenerator(Curve.P_256).generate();
    validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE).build();
    app = JettyApp.withFilter(BearerTokenFilter.builder(validator)
        .rule(PathRule.parse("/api/pay/*", "dpop authenticated"))
        .rule(PathRule.parse("/api/reports", "sender-constrained read:messages"))
        .authenticated("/api/plain").build(), context -> {
          context.addServlet(DpopServlet.class, "/annotated/dpop");
          context.addServlet(ConstrainedServlet.class, "/annotated/constrained");
        });
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    validator.close();
    issuer.close();
  }

  private static String bound() throws Exception {
    return issuer.jwt().claim("cnf", Map.of("jkt", clientKey.computeThumbprint().toString())).sign();
  }

  private static Answer dpop(String path) throws Exception {
    String token = bound();
    byte[] ath = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
    SignedJWT proof = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
        .jwk(clientKey.toPublicJWK()).build(), new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
        .claim("htm", "GET").claim("htu", app.url(path)).issueTime(new Date()).claim("ath", Base64URL.encode(ath).toString())
        .build());
    proof.sign(new ECDSASigner(clientKey));
    return app.get(path, "Authorization", "DPoP " + token, "DPoP", proof.serialize());
  }

  private static void assertDpopRefusal(Answer a) {
    assertThat(a.status()).as(a.body()).isEqualTo(401);
    assertThat(a.headers().get("WWW-Authenticate")).singleElement().asString()
        .startsWith(DPOP_CHALLENGE + ", error=\"invalid_token\"");
    assertThat(a.body()).contains("\"error\":\"invalid_token\"");
  }

  @Test
  void requestWhenDpopRuleAndABearerTokenThen401DpopChallengeInvalidToken() throws Exception {
    assertDpopRefusal(app.getWithToken("/api/pay/1", issuer.jwt().sign()));
  }

  @Test
  void requestWhenDpopRuleAndAValidDpopRequestThen200() throws Exception {
    assertThat(dpop("/api/pay/1").status()).isEqualTo(200);
  }

  @Test
  void requestWhenDpopRuleAndNoCredentialsThenOnlyTheDpopChallenge() throws Exception {
    Answer a = app.get("/api/pay/1");
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.headers().get("WWW-Authenticate")).singleElement().asString().startsWith(DPOP_CHALLENGE)
        .doesNotContain("error=");
  }

  @Test
  void requestWhenSenderConstrainedRuleAndAPlainBearerTokenThen401ElseDpopPasses() throws Exception {
    assertDpopRefusal(app.getWithToken("/api/reports", issuer.jwt().sign()));
    assertThat(dpop("/api/reports").status()).isEqualTo(200);
  }

  @Test
  void requestWhereNoConstraintThenABearerTokenStillPasses() throws Exception {
    assertThat(app.getWithToken("/api/plain", issuer.jwt().sign()).status()).isEqualTo(200);
  }

  @Test
  void requestWhenServletAnnotatedRequiresDpopThenBearerRefusedAndDpopAccepted() throws Exception {
    assertDpopRefusal(app.getWithToken("/annotated/dpop", issuer.jwt().sign()));
    assertThat(dpop("/annotated/dpop").status()).isEqualTo(200);
  }

  @Test
  void requestWhenServletAnnotatedRequiresSenderConstrainedThenBearerRefusedAndDpopAccepted() throws Exception {
    assertDpopRefusal(app.getWithToken("/annotated/constrained", issuer.jwt().sign()));
    assertThat(dpop("/annotated/constrained").status()).isEqualTo(200);
  }

  @Test
  void ruleWhenDpopIsOffThenTheBuilderRefusesNamingTheRule() {
    AccessTokenValidator off = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .dpop(DpopPolicy.OFF).build();
    BearerTokenFilter.Builder b = BearerTokenFilter.builder(off);
    assertThatThrownBy(() -> b.rule(PathRule.parse("/pay/*", "dpop authenticated")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("path rule /pay/* requires DPoP").hasMessageContaining("DPoP is off for the tokens of "
            + issuer.issuer());
    b.rule(PathRule.authenticated("/mtls/*").withSenderConstraint(SenderConstraint.DPOP_OR_MTLS)); // mTLS needs no DPoP
  }

  @Test
  void initWhenRulesFromTheEnvironmentAskForDpopAndDpopIsOffThenServletExceptionNamingTheRule() {
    assertThatThrownBy(() -> InitParams.read(InitParamsTest.config(Map.of()), Map.of("TOKENWARD_ISSUER", issuer.issuer(),
        "TOKENWARD_AUDIENCE", "A", "TOKENWARD_DPOP", "off", "TOKENWARD_RULES", "/api/*=authenticated, /pay/*=dpop pay"),
        new Properties()))
        .isInstanceOf(ServletException.class)
        .hasMessageStartingWith("tokenward TOKENWARD_RULES: path rule /pay/* requires DPoP, but DPoP is off for the "
            + "tokens of " + issuer.issuer());
  }

  @Test
  void startWhenAServletIsAnnotatedRequiresDpopAndDpopIsOffThenTheFilterFailsNamingTheClass() {
    AccessTokenValidator off = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .dpop(DpopPolicy.OFF).build();
    BearerTokenFilter filter = BearerTokenFilter.builder(off).build();
    assertThatThrownBy(() -> JettyApp.withFilter(filter, context -> context.addServlet(DpopServlet.class, "/annotated/dpop"))
        .close())
        .satisfies(e -> {
          StringBuilder messages = new StringBuilder();
          for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
          }
          assertThat(messages.toString())
              .contains("tokenward: @RequiresDpop on servlet class " + DpopServlet.class.getName() + " requires DPoP, "
                  + "but DPoP is off for the tokens of " + issuer.issuer());
        });
  }
}
