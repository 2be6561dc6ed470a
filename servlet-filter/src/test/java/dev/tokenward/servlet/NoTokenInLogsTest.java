package dev.tokenward.servlet;

import static dev.tokenward.servlet.Issuers.jwt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.Requirement;
import dev.tokenward.test.TestIssuer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The filter logs refusals at debug level (on in these tests, to target/test.log) and never the token. */
class NoTokenInLogsTest {
  static final Path LOG = Path.of("target", "test.log");

  @Test
  void refusalsWhenLoggedThenTokenNeverAppears() throws Exception {
    try (TestIssuer issuer = Issuers.start()) {
      AccessTokenValidator validator = issuer.validator();
      BearerTokenFilter filter = BearerTokenFilter.builder(validator).allowQueryToken(true)
          .require("/api/*", Requirement.allOf("write:messages")).build();
      try (JettyApp app = JettyApp.withFilter(filter, context -> { })) {
        String lacksScope = jwt(issuer).sign();
        String expired = jwt(issuer).claim("exp", 1_000L).sign();
        String bad = "secret-looking-value";
        long before = Files.exists(LOG) ? Files.size(LOG) : 0;

        assertThat(app.getWithToken("/api/logged", lacksScope).status()).isEqualTo(403);
        assertThat(app.getWithToken("/api/logged", expired).status()).isEqualTo(401);
        assertThat(app.getWithToken("/api/logged", bad).status()).isEqualTo(401);
        assertThat(app.get("/api/logged?access_token=" + bad, "Authorization", "Bearer " + bad).status()).isEqualTo(400);

        byte[] all = Files.readAllBytes(LOG);
        String log = new String(all, (int) before, all.length - (int) before, StandardCharsets.UTF_8);
        assertThat(log).contains("GET /api/logged refused with 403", "GET /api/logged refused with 401",
            "GET /api/logged refused with 400");
        for (String token : new String[] {lacksScope, expired, bad, lacksScope.split("\\.")[2]}) {
          assertThat(log).doesNotContain(token);
        }
      }
    }
  }
}
