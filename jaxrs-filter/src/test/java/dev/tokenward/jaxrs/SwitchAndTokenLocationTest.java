package dev.tokenward.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.BearerTokenExtractor;
import dev.tokenward.jaxrs.resources.AdminResource;
import dev.tokenward.jaxrs.resources.ApiResource;
import dev.tokenward.jaxrs.resources.PlainResource;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The switch turned off (only annotated resources are protected), and tokens in the query or form. */
class SwitchAndTokenLocationTest {
  private static Fixture app;

  @BeforeAll
  static void start() {
    app = new Fixture(b -> b.protectUnannotated(false).tokenExtractor(BearerTokenExtractor.of(true, true)),
        ApiResource.class, AdminResource.class, PlainResource.class);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  @Test
  void requestWhenSwitchOffAndMethodUnannotatedThenNoTokenNeeded() throws Exception {
    assertThat(app.server.get("api/unannotated").body()).isEqualTo("unannotated anonymous");
    assertThat(app.server.get("plain").body()).isEqualTo("plain anonymous");
  }

  @Test
  void requestWhenSwitchOffAndBadTokenOnUnannotatedMethodThenTokenIsIgnored() throws Exception {
    HttpResponse<String> response = app.server.get("plain", "Authorization", "Bearer bad$token");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("plain anonymous");
    assertThat(app.server.getWithToken("plain", "a.b.c").statusCode()).isEqualTo(200);
  }

  @Test
  void requestWhenSwitchOffThenAnnotatedMethodsAndClassesStayProtected() throws Exception {
    assertThat(app.server.get("api/private").statusCode()).isEqualTo(401);
    assertThat(app.server.get("admin").statusCode()).isEqualTo(401);
  }

  @Test
  void requestWhenQueryTokenAllowedThenAccepted() throws Exception {
    HttpResponse<String> response = app.server.get("api/private?access_token=" + app.token());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("name=auth0|user-1 ");
  }

  @Test
  void requestWhenTokenInHeaderAndQueryThen400InvalidRequest() throws Exception {
    HttpResponse<String> response = app.server.get("api/private?access_token=" + app.token(),
        "Authorization", "Bearer " + app.token());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"invalid_request\"").contains("more than one place");
  }

  @Test
  void requestWhenFormTokenAllowedThenAcceptedAndBodyStillReachesResource() throws Exception {
    HttpResponse<String> response = TestServer.send(app.server.request("api/form")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("note=hello%20world&access_token=" + app.token()))
        .build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("note=hello world name=auth0|user-1 ");
  }

  @Test
  void requestWhenFormWithoutTokenThen401() throws Exception {
    HttpResponse<String> response = TestServer.send(app.server.request("api/form")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("note=hello")).build());
    assertThat(response.statusCode()).isEqualTo(401);
  }

  private static final String TOO_LARGE = "Bearer realm=\"tokenward\", error=\"invalid_request\", error_description=\"the "
      + "form body is larger than 65536 bytes, the most read to look for an access_token parameter; send the token in "
      + "the Authorization header\"";

  // Issue #10 item 12 (regression): with form tokens enabled the filter read the whole body into memory (48 MiB before a
  // 401 on the old code, which answered 401 here). Now at most 64 KiB are read: a larger body is 400 invalid_request.
  @Test
  void requestWhenFormBodyDeclaredLargerThanTheLimitThen400BeforeReadingIt() throws Exception {
    HttpResponse<String> response = TestServer.send(app.server.request("api/form")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("note=" + "x".repeat(1024 * 1024))).build());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(TOO_LARGE);
  }

  @Test
  void requestWhenChunkedFormBodyLargerThanTheLimitThen400() throws Exception {
    byte[] body = ("note=" + "x".repeat(70_000) + "&access_token=" + app.token()).getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response = TestServer.send(app.server.request("api/form")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build()); // no length: chunked
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(TOO_LARGE);
  }

  @Test
  void requestWhenFormBodyAtTheLimitThenAccepted() throws Exception {
    String token = app.token();
    String prefix = "access_token=" + token + "&note=";
    String body = prefix + "y".repeat(TokenwardFeature.Builder.DEFAULT_MAX_FORM_BODY_BYTES - prefix.length());
    HttpResponse<String> response = TestServer.send(app.server.request("api/form")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("note=yyy").contains(" name=auth0|user-1 ");
  }

  @Test
  void builderWhenFormBodyLimitOutOfRangeThenRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenwardFeature.builder(app.validator).maxFormBodyBytes(0))
        .hasMessage("maxFormBodyBytes: 0 is not between 1 and 16 MiB");
  }
}
