package dev.tokenward.samples.interop;

import static dev.tokenward.samples.support.SampleConfiguration.AUDIENCE;
import static dev.tokenward.samples.support.SampleConfiguration.ISSUER;
import static dev.tokenward.samples.support.SampleConfiguration.OPAQUE;
import static dev.tokenward.samples.support.SampleConfiguration.PORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.samples.jaxrs.JaxrsSample;
import dev.tokenward.samples.servlet.ServletSample;
import dev.tokenward.samples.support.Answer;
import dev.tokenward.samples.support.ContractHttp;
import dev.tokenward.samples.support.Endpoint;
import dev.tokenward.samples.support.RunningSample;
import dev.tokenward.samples.support.SampleLauncher;
import dev.tokenward.samples.support.SampleServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both samples, configured only by the contract's variables, serving over HTTP the tokens of
 * mock-oauth2-server: the whole path from a foreign issuer's token to the sample's answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SamplesAgainstMockOAuth2ServerTest {
  private static final String ISSUER_ID = "samples";
  private static final String API = "api://tokenward-samples";

  private MockOAuth2Server server;

  @BeforeAll
  void start() throws Exception {
    server = new MockOAuth2Server();
    server.start();
    // the server's first answers take seconds on a loaded machine (its HTTP stack warms up), longer than
    // tokenward's 5 s call timeout: ask once here, patiently, so that a sample's first fetch is not that one
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (String path : List.of("/.well-known/openid-configuration", "/jwks", "/userinfo")) {
      http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.issuerUrl(ISSUER_ID) + path))
          .timeout(java.time.Duration.ofSeconds(60)).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
    }
  }

  @AfterAll
  void stop() {
    server.shutdown();
  }

  static Stream<Arguments> samples() {
    return Stream.of(Arguments.of(ServletSample.NAME, (SampleServer.Factory) ServletSample::server),
        Arguments.of(JaxrsSample.NAME, (SampleServer.Factory) JaxrsSample::server));
  }

  private RunningSample startSample(String name, SampleServer.Factory factory, String... pairs) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(PORT, "0", ISSUER, server.issuerUrl(ISSUER_ID).toString(),
        AUDIENCE, API));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunningSample sample = SampleLauncher.start(name, env, new PrintStream(out, true, StandardCharsets.UTF_8), factory);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("listening on " + sample.baseUri());
    return sample;
  }

  private String token(String audience, Map<String, Object> claims) {
    return server.issueToken(ISSUER_ID, "user-7", audience, claims).serialize();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void itsTokensGetTheContractsAnswers(String name, SampleServer.Factory factory) throws Exception {
    try (RunningSample sample = startSample(name, factory)) {
      String reader = token(API, Map.of("scope", "openid read:messages"));
      Answer ok = ContractHttp.getWithToken(sample.baseUri(), Endpoint.PRIVATE_SCOPED.path(), reader);
      assertThat(ok.status()).as("%s", ok).isEqualTo(200);
      assertThat(ok.json()).containsEntry("sub", "user-7").containsEntry("tokenType", "jwt")
          .containsEntry("scopes", List.of("openid", "read:messages")).containsEntry("permissions", List.of());

      Answer forbidden = ContractHttp.getWithToken(sample.baseUri(), Endpoint.ADMIN.path(), reader);
      assertThat(forbidden.status()).isEqualTo(403);
      assertThat(forbidden.challengeParameter("scope")).hasValue(Endpoint.ADMIN_ALL);

      String admin = token(API, Map.of("permissions", List.of("admin:all")));
      assertThat(ContractHttp.getWithToken(sample.baseUri(), Endpoint.ADMIN.path(), admin).json())
          .containsEntry("permissions", List.of("admin:all"));

      String otherApi = token("api://someone-else", Map.of("scope", "read:messages"));
      Answer refused = ContractHttp.getWithToken(sample.baseUri(), Endpoint.PRIVATE.path(), otherApi);
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.challengeParameter("error")).hasValue("invalid_token");
      assertThat(refused.json().get("error_description")).asString().contains("'aud'");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void withOpaqueUserinfoATokenItsUserinfoRefusesIsInvalid(String name, SampleServer.Factory factory) throws Exception {
    try (RunningSample sample = startSample(name, factory, OPAQUE, "userinfo")) {
      Answer refused = ContractHttp.getWithToken(sample.baseUri(), Endpoint.PRIVATE.path(), "not-a-jwt-it-issued");
      assertThat(refused.status()).as("%s", refused).isEqualTo(401);
      assertThat(refused.challengeParameter("error")).hasValue("invalid_token");
    }
  }
}
