package dev.tokenward.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.Authenticated;
import dev.tokenward.core.RequiresSenderConstrained;
import dev.tokenward.core.VerifiedToken;
import dev.tokenward.test.TestCertificateAuthority;
import dev.tokenward.test.TestIssuer;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Certificate-bound tokens (RFC 8705) over real TLS with client authentication, on Jersey/Grizzly and on
 * RESTEasy/Undertow: the feature passes the connection's client certificate to core, so a token whose
 * {@code cnf x5t#S256} names it is accepted only from the client holding that certificate.
 */
class MtlsTest {
  private static TestCertificateAuthority ca;
  private static TestCertificateAuthority.Issued alice;
  private static TestCertificateAuthority.Issued bob;
  private static TestIssuer issuer;
  private static dev.tokenward.core.AccessTokenValidator validator;
  private static TestServer server;

  /** Any valid token (a bound one with its certificate). */
  @Path("mtls")
  @Authenticated
  public static class Account {
    @GET
    public String get(@Context SecurityContext security) {
      return "hello " + Tokens.find(security).map(VerifiedToken::subject).orElse("nobody");
    }

    @GET
    @Path("constrained")
    @RequiresSenderConstrained
    public String constrained(@Context SecurityContext security) {
      return "constrained " + Tokens.find(security).map(VerifiedToken::subject).orElse("nobody");
    }
  }

  @BeforeAll
  static void start() {
    ca = TestCertificateAuthority.create();
    alice = ca.issueClient("alice");
    bob = ca.issueClient("bob");
    issuer = Fixture.issuer();
    validator = issuer.validator();
    server = TestServer.startTls(TokenwardFeature.builder(validator).build(), ca.serverContext(ca.issueServer()),
        Account.class);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    validator.close();
    issuer.close();
  }

  private static HttpResponse<String> get(String path, TestCertificateAuthority.Issued client, String token)
      throws Exception {
    SSLContext tls = ca.clientContext(client);
    HttpClient http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    return http.send(HttpRequest.newBuilder(server.base().resolve(path)).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String boundTo(TestCertificateAuthority.Issued client) {
    return Fixture.jwt(issuer).claim("cnf", client.confirmation()).sign();
  }

  private static void assertInvalidToken(HttpResponse<String> r) {
    assertThat(r.statusCode()).as("%s: %s", TestServer.RUNTIME, r.body()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
  }

  @Test
  void requestWhenTheTokenIsBoundToTheClientCertificateThen200() throws Exception {
    HttpResponse<String> r = get("mtls", alice, boundTo(alice));
    assertThat(r.statusCode()).as("%s: %s", TestServer.RUNTIME, r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello auth0|user-1");
  }

  @Test
  void requestWhenAnotherClientCertificateThen401InvalidToken() throws Exception {
    HttpResponse<String> r = get("mtls", bob, boundTo(alice));
    assertInvalidToken(r);
    assertThat(r.body()).contains("another client certificate");
  }

  @Test
  void requestWhenNoClientCertificateThen401InvalidToken() throws Exception {
    HttpResponse<String> r = get("mtls", null, boundTo(alice));
    assertInvalidToken(r);
    assertThat(r.body()).contains("came without one");
  }

  @Test
  void requestWhenSenderConstrainedEndpointThenTheBoundTokenWithItsCertificatePassesAndAPlainOneDoesNot()
      throws Exception {
    HttpResponse<String> ok = get("mtls/constrained", alice, boundTo(alice));
    assertThat(ok.statusCode()).as("%s: %s", TestServer.RUNTIME, ok.body()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("constrained auth0|user-1");
    HttpResponse<String> plain = get("mtls/constrained", alice, Fixture.jwt(issuer).sign());
    assertInvalidToken(plain);
    assertThat(plain.body()).contains("sender-constrained");
  }
}
