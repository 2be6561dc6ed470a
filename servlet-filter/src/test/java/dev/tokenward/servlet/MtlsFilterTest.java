package dev.tokenward.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.FakeIssuer;
import dev.tokenward.core.SenderConstraint;
import dev.tokenward.test.TestCertificateAuthority;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Certificate-bound tokens (RFC 8705) over real TLS with client authentication on Jetty 12: the filter passes
 * the connection's client certificate ({@code jakarta.servlet.request.X509Certificate}) to core, so a token
 * whose {@code cnf x5t#S256} names it is accepted only from the client holding that certificate.
 */
class MtlsFilterTest {
  private static TestCertificateAuthority ca;
  private static TestCertificateAuthority.Issued alice;
  private static TestCertificateAuthority.Issued bob;
  private static FakeIssuer issuer;
  private static AccessTokenValidator validator;
  private static Server server;
  private static URI base;

  @BeforeAll
  static void start() throws Exception {
    ca = TestCertificateAuthority.create();
    alice = ca.issueClient("alice");
    bob = ca.issueClient("bob");
    issuer = new FakeIssuer();
    validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE).build();

    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setSslContext(ca.serverContext(ca.issueServer()));
    tls.setWantClientAuth(true); // asks for a certificate; a client without one still reaches the filter
    HttpConfiguration https = new HttpConfiguration();
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false);
    https.addCustomizer(secure); // sets jakarta.servlet.request.X509Certificate
    server = new Server();
    ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
        new HttpConnectionFactory(https));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/app");
    context.addServlet(new ServletHolder("echo", new TestServlets.Echo()), "/");
    context.addFilter(new FilterHolder(BearerTokenFilter.builder(validator).authenticated("/account")
        .rule(PathRule.authenticated("/constrained").withSenderConstraint(SenderConstraint.DPOP_OR_MTLS)).build()),
        "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
    base = URI.create("https://127.0.0.1:" + connector.getLocalPort() + "/app/");
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
    validator.close();
    issuer.close();
  }

  private static HttpResponse<String> get(String path, TestCertificateAuthority.Issued client, String token)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(ca.clientContext(client)).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String boundTo(TestCertificateAuthority.Issued client) {
    return issuer.jwt().claim("cnf", client.confirmation()).sign();
  }

  private static void assertInvalidToken(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
  }

  @Test
  void requestWhenTheTokenIsBoundToTheClientCertificateThen200() throws Exception {
    HttpResponse<String> r = get("account", alice, boundTo(alice));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("principal=TokenPrincipal:auth0|user-1");
  }

  @Test
  void requestWhenAnotherClientCertificateThen401InvalidToken() throws Exception {
    HttpResponse<String> r = get("account", bob, boundTo(alice));
    assertInvalidToken(r);
    assertThat(r.body()).contains("another client certificate");
  }

  @Test
  void requestWhenNoClientCertificateThen401InvalidToken() throws Exception {
    HttpResponse<String> r = get("account", null, boundTo(alice));
    assertInvalidToken(r);
    assertThat(r.body()).contains("came without one");
  }

  @Test
  void requestWhenSenderConstrainedRuleThenTheBoundTokenWithItsCertificatePassesAndAPlainOneDoesNot() throws Exception {
    HttpResponse<String> ok = get("constrained", alice, boundTo(alice));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    HttpResponse<String> plain = get("constrained", alice, issuer.jwt().sign());
    assertInvalidToken(plain);
    assertThat(plain.body()).contains("sender-constrained");
  }
}
