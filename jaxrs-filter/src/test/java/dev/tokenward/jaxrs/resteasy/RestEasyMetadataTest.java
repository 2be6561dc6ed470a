package dev.tokenward.jaxrs.resteasy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.ProtectedResourceMetadata;
import dev.tokenward.jaxrs.TokenwardFeature;
import dev.tokenward.jaxrs.resources.ApiResource;
import dev.tokenward.test.TestIssuer;
import io.undertow.Undertow;
import jakarta.ws.rs.core.Application;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.jboss.resteasy.plugins.server.undertow.UndertowJaxrsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 9728 metadata from the feature's pre-matching filter on RESTEasy 6.2 (Undertow), without Jersey. */
class RestEasyMetadataTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static TestIssuer issuer;
  private static Server server;
  private static URI base;

  private static final class Server extends UndertowJaxrsServer {
    int port() {
      return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }
  }

  @BeforeAll
  static void start() {
    issuer = TestIssuer.builder().api("https://api.tokenward.test").build().start();
    AccessTokenValidator validator = issuer.validator();
    TokenwardFeature feature = TokenwardFeature.builder(validator)
        .resourceMetadata(ProtectedResourceMetadata.builder(validator).resource("https://api.example.com/v1").build())
        .build();
    server = new Server();
    server.start(Undertow.builder().addHttpListener(0, "127.0.0.1"));
    server.deploy(new Application() {
      @Override
      public Set<Class<?>> getClasses() {
        return Set.of(ApiResource.class);
      }

      @Override
      public Set<Object> getSingletons() {
        return Set.of(feature);
      }
    });
    base = URI.create("http://127.0.0.1:" + server.port() + "/");
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
    issuer.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metadataWhenFetchedOnRestEasyThenServedWithoutTokenAtTheSuffixedUrl() throws Exception {
    HttpResponse<String> r = get(".well-known/oauth-protected-resource/v1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    assertThat(r.body()).startsWith("{\"resource\":\"https://api.example.com/v1\",\"authorization_servers\":[\""
        + issuer.issuer() + "\"],\"scopes_supported\":[");
  }

  @Test
  void challengeWhenNoTokenOnRestEasyThenNamesTheMetadataUrl() throws Exception {
    HttpResponse<String> r = get("api/private");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"tokenward\", "
        + "resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource/v1\"", // DPoP allowed: both
        "DPoP realm=\"tokenward\", algs=\"ES256 EdDSA Ed25519 RS256 PS256\", "
        + "resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource/v1\"");
  }
}
