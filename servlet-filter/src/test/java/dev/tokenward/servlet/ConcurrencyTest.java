package dev.tokenward.servlet;

import static dev.tokenward.servlet.Issuers.jwt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.Requirement;
import dev.tokenward.servlet.JettyApp.Answer;
import dev.tokenward.test.TestIssuer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
  @Test
  void requestsWhenFiftyInParallelThenEachGetsItsOwnExactAnswer() throws Exception {
    try (TestIssuer issuer = Issuers.start()) {
      AccessTokenValidator validator = issuer.validator();
      BearerTokenFilter filter = BearerTokenFilter.builder(validator)
          .require("/api/private-scoped", Requirement.allOf("read:messages")).build();
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try (JettyApp app = JettyApp.withFilter(filter, context -> { })) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          String user = "auth0|user-" + i;
          Callable<String> call;
          switch (i % 4) {
            case 0 -> { // valid: each caller must see its own principal, never another's
              String token = jwt(issuer).claim("sub", user).sign();
              call = () -> summary(app.getWithToken("/api/private-scoped", token));
              expected.add("200 path=/api/private-scoped principal=TokenPrincipal:" + user
                  + " authType=Bearer remoteUser=" + user + " roles=[read:messages, **] attribute=principal's token");
            }
            case 1 -> {
              String token = jwt(issuer).claim("sub", user).claim("scope", "openid").claim("permissions", null).sign();
              call = () -> summary(app.getWithToken("/api/private-scoped", token));
              expected.add("403 scope=\"read:messages\"");
            }
            case 2 -> {
              call = () -> summary(app.get("/api/private-scoped"));
              expected.add("401 " + BearerTokenFilterTest.REALM);
            }
            default -> {
              String token = jwt(issuer).claim("sub", user).claim("exp", 1_000L).sign();
              call = () -> summary(app.getWithToken("/api/private-scoped", token));
              expected.add("401 invalid_token");
            }
          }
          results.add(pool.submit(() -> {
            go.await();
            return call.call();
          }));
        }
        go.countDown();
        List<String> actual = new ArrayList<>();
        for (Future<String> f : results) {
          actual.add(f.get(30, TimeUnit.SECONDS));
        }
        assertThat(actual).containsExactlyElementsOf(expected);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static String summary(Answer a) {
    String challenge = a.headers().getOrDefault("WWW-Authenticate", java.util.List.of("")).get(0); // the Bearer one first
    return switch (a.status()) {
      case 200 -> "200 " + a.body();
      case 403 -> "403 " + challenge.substring(challenge.indexOf("scope=\""));
      case 401 -> challenge.contains("error=\"invalid_token\"") ? "401 invalid_token" : "401 " + challenge;
      default -> a.status() + " " + challenge;
    };
  }
}
