package dev.tokenward.jaxrs;

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
import dev.tokenward.core.Authenticated;
import dev.tokenward.core.DpopPolicy;
import dev.tokenward.core.RequiresDpop;
import dev.tokenward.core.RequiresSenderConstrained;
import dev.tokenward.jaxrs.resources.Locators;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-endpoint sender constraints in the JAX-RS feature, on Jersey and on RESTEasy: {@code @RequiresDpop} and
 * {@code @RequiresSenderConstrained} on a method, a class, and a sub-resource locator, under a validator whose DPoP
 * policy is {@code allowed}; and the deployment failure where DPoP is off. The same vocabulary as the servlet filter.
 */
class SenderConstraintRulesTest {
  private static final String DPOP_CHALLENGE = "DPoP realm=\"tokenward\", algs=\"ES256 EdDSA Ed25519 RS256 PS256\"";
  private static Fixture app;
  private static ECKey clientKey;

  /** One method needs DPoP, the other nothing beyond a token. */
  @Path("pay")
  public static class Payments {
    @GET
    @RequiresDpop
    public String pay() {
      return "paid";
    }

    @GET
    @Path("history")
    @Authenticated
    public String history() {
      return "history";
    }
  }

  /** The class's rule: a DPoP- or certificate-bound token. */
  @Path("reports")
  @RequiresSenderConstrained
  public static class Reports {
    @GET
    public String get() {
      return "reports";
    }
  }

  /** The constraint on a locator on the way to an unannotated sub-resource. */
  @Path("chain")
  public static class Chain {
    @Path("dpop")
    @RequiresDpop
    public Locators.Plain dpop() {
      return new Locators.Plain();
    }

    @Path("open")
    public Locators.Plain open() {
      return new Locators.Plain();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    clientKey = new ECKeyGenerator(Curve.P_256).generate();
    app = new Fixture(Payments.class, Reports.class, Chain.class);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  private static HttpResponse<String> dpop(String path) throws Exception {
    String token = app.jwt().claim("cnf", Map.of("jkt", clientKey.computeThumbprint().toString())).sign();
    byte[] ath = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
    SignedJWT proof = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
        .jwk(clientKey.toPublicJWK()).build(), new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
        .claim("htm", "GET").claim("htu", app.server.base().resolve(path).toString()).issueTime(new Date())
        .claim("ath", Base64URL.encode(ath).toString()).build());
    proof.sign(new ECDSASigner(clientKey));
    return app.server.get(path, "Authorization", "DPoP " + token, "DPoP", proof.serialize());
  }

  private static void assertDpopRefusal(HttpResponse<String> r) {
    assertThat(r.statusCode()).as("%s: %s", TestServer.RUNTIME, r.body()).isEqualTo(401);
    assertThat(r.headers().allValues("WWW-Authenticate")).singleElement().asString()
        .startsWith(DPOP_CHALLENGE + ", error=\"invalid_token\"");
    assertThat(r.body()).contains("\"error\":\"invalid_token\"");
  }

  private static void assertOk(HttpResponse<String> r, String body) {
    assertThat(r.statusCode()).as("%s: %s", TestServer.RUNTIME, r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(body);
  }

  @Test
  void requestWhenMethodRequiresDpopAndABearerTokenThen401DpopChallengeInvalidToken() throws Exception {
    assertDpopRefusal(app.server.getWithToken("pay", app.token()));
  }

  @Test
  void requestWhenMethodRequiresDpopAndAValidDpopRequestThen200() throws Exception {
    assertOk(dpop("pay"), "paid");
  }

  @Test
  void requestWhenMethodRequiresDpopAndNoCredentialsThenOnlyTheDpopChallenge() throws Exception {
    HttpResponse<String> r = app.server.get("pay");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().allValues("WWW-Authenticate")).containsExactly(DPOP_CHALLENGE);
  }

  @Test
  void requestWhenAnotherMethodOfTheClassHasNoConstraintThenABearerTokenPasses() throws Exception {
    assertOk(app.server.getWithToken("pay/history", app.token()), "history");
  }

  @Test
  void requestWhenClassRequiresSenderConstrainedThenPlainBearerRefusedAndDpopAccepted() throws Exception {
    assertDpopRefusal(app.server.getWithToken("reports", app.token()));
    assertOk(dpop("reports"), "reports");
  }

  @Test
  void requestWhenALocatorOnTheWayRequiresDpopThenBearerRefusedAndDpopAccepted() throws Exception {
    assertDpopRefusal(app.server.getWithToken("chain/dpop", app.token()));
    assertOk(dpop("chain/dpop"), "plain auth0|user-1");
    assertOk(app.server.getWithToken("chain/open", app.token()), "plain auth0|user-1");
  }

  @Test
  void deployWhenAMethodRequiresDpopAndDpopIsOffThenTheApplicationFailsNamingTheMethod() throws Exception {
    try (dev.tokenward.test.TestIssuer issuer = Fixture.issuer()) {
      AccessTokenValidator off = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(Fixture.AUDIENCE)
          .dpop(DpopPolicy.OFF).build();
      assertThatThrownBy(() -> TestServer.start(TokenwardFeature.builder(off).build(), Payments.class).close())
          .satisfies(e -> Assertions.assertThat(rootCause(e)).isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("@RequiresDpop on method " + Payments.class.getName() + ".pay requires DPoP, but "
                  + "DPoP is off for the tokens of " + issuer.issuer()));
      // a locator asking for DPoP fails the deployment of its class as well
      assertThatThrownBy(() -> TestServer.start(TokenwardFeature.builder(off).build(), Chain.class, Payments.class).close())
          .satisfies(e -> Assertions.assertThat(rootCause(e)).hasMessageContaining("requires DPoP, but DPoP is off"));
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
