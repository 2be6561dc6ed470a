package dev.tokenward.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.Reason;
import dev.tokenward.core.ValidationListener;
import dev.tokenward.jaxrs.resources.PersonalResource;
import dev.tokenward.test.TestIssuer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A malformed {@code Authorization} header with the default extractor (header only), where core's
 * check of the header is the only one: the same answer (status, error, description, one Bearer
 * challenge) and one refusal heard by the listener, on a protected and on an optional method.
 */
class HeaderOnlyRefusalTest {
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final TestIssuer issuer = Fixture.issuer();
  private final AccessTokenValidator validator = issuer.validatorBuilder(Fixture.AUDIENCE)
      .listener(new ValidationListener() {
        @Override
        public void tokenAccepted(String iss, long nanos) {
          events.add("accepted");
        }

        @Override
        public void tokenRefused(Reason reason, String iss, long nanos) {
          events.add("refused " + reason);
        }
      }).build();
  private final TestServer server = TestServer.start(TokenwardFeature.builder(validator).build(), PersonalResource.class);

  @AfterEach
  void stop() throws Exception {
    server.close();
    validator.close();
    issuer.close();
  }

  private static void assertInvalidRequest(HttpResponse<String> answer, String description) {
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.headers().allValues("WWW-Authenticate"))
        .containsExactly("Bearer realm=\"tokenward\", error=\"invalid_request\", error_description=\"" + description + "\"");
    assertThat(answer.body())
        .isEqualTo("{\"error\":\"invalid_request\",\"error_description\":\"" + description + "\"}");
  }

  @Test
  void protectedWhenBearerValueEmptyThen400AndOneRefusalReported() throws Exception {
    assertInvalidRequest(server.get("personal/scoped", "Authorization", "Bearer"), "empty token in the Authorization header");

    assertThat(events).containsExactly("refused INVALID_REQUEST");
  }

  @Test
  void protectedWhenCharacterOutsideB64TokenThen400AndOneRefusalReported() throws Exception {
    assertInvalidRequest(server.get("personal/scoped", "Authorization", "Bearer bad$token"),
        "a character outside the RFC 6750 b64token alphabet in the Authorization header");

    assertThat(events).containsExactly("refused INVALID_REQUEST");
  }

  @Test
  void protectedWhenTwoAuthorizationHeadersThen400AndOneRefusalReported() throws Exception {
    String token = Fixture.jwt(issuer).sign();
    assertInvalidRequest(server.send(server.request("personal/scoped")
            .header("Authorization", "Bearer " + token).header("Authorization", "Bearer " + token).GET().build()),
        "the request has 2 Authorization headers; send exactly one");

    assertThat(events).containsExactly("refused INVALID_REQUEST");
  }

  @Test
  void optionalWhenBearerValueEmptyThen400AndOneRefusalReported() throws Exception {
    assertInvalidRequest(server.get("personal/greeting", "Authorization", "Bearer"), "empty token in the Authorization header");

    assertThat(events).containsExactly("refused INVALID_REQUEST");
  }
}
