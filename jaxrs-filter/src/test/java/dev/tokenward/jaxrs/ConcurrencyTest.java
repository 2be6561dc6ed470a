package dev.tokenward.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.jaxrs.resources.ApiResource;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Many callers at once each get their own answer and their own SecurityContext. */
class ConcurrencyTest {
  private static Fixture app;

  @BeforeAll
  static void start() {
    app = new Fixture(ApiResource.class);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  @Test
  void requestWhenFiftyCallersInParallelThenEachGetsItsOwnCorrectAnswer() throws Exception {
    int n = 50;
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // even callers hold admin:all, odd ones do not; every third sends no token at all
      tokens.add(i % 3 == 2 ? null
          : app.token("auth0|user-" + i, "openid", i % 2 == 0 ? List.of("admin:all") : List.of("read:messages")));
    }
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (String token : tokens) {
      var request = app.server.request("api/permission").GET();
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      answers.add(TestServer.client().sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(answers.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);

    for (int i = 0; i < n; i++) {
      HttpResponse<String> response = answers.get(i).get();
      if (i % 3 == 2) {
        assertThat(response.statusCode()).as("caller %d", i).isEqualTo(401);
      } else if (i % 2 == 0) {
        assertThat(response.statusCode()).as("caller %d", i).isEqualTo(200);
        assertThat(response.body()).as("caller %d", i).startsWith("name=auth0|user-" + i + " sub=auth0|user-" + i + " ");
        assertThat(response.headers().firstValue("X-Token-Subject")).as("caller %d", i).contains("auth0|user-" + i);
      } else {
        assertThat(response.statusCode()).as("caller %d", i).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).endsWith("scope=\"admin:all\"");
      }
    }
  }
}
