package dev.tokenward.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.FakeIssuer;
import dev.tokenward.core.OpaqueTokenPolicy;
import dev.tokenward.core.TrustedIssuer;
import dev.tokenward.servlet.JettyApp.Answer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 10 item 5 through the filter: the opaque-token resolver sees the request URL and picks the issuer. */
class OpaqueTokenResolverFilterTest {
  private static final String TOKEN = "x7Hk2mPq9RtY4wZ8vB3nL6jD1fG5sA0c";
  private final FakeIssuer ours = new FakeIssuer();
  private final FakeIssuer partner = new FakeIssuer();
  private JettyApp app;

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    ours.close();
    partner.close();
  }

  @Test
  void requestWithOpaqueTokenWhenResolverChoosesByPathThenOnlyThatIssuerIsAsked() throws Exception {
    ours.opaque(TOKEN, Map.of("sub", "our-user"));
    partner.opaque(TOKEN, Map.of("sub", "partner-user"));
    List<URI> seen = new CopyOnWriteArrayList<>();
    AccessTokenValidator validator = AccessTokenValidator.builder()
        .issuer(TrustedIssuer.builder(partner.issuer()).audience(FakeIssuer.AUDIENCE)
            .opaqueTokens(OpaqueTokenPolicy.USERINFO).build())
        .issuer(TrustedIssuer.builder(ours.issuer()).audience(FakeIssuer.AUDIENCE)
            .opaqueTokens(OpaqueTokenPolicy.USERINFO).build())
        .opaqueTokenResolver(uri -> {
          seen.add(uri);
          return Optional.of(uri != null && uri.getPath().startsWith("/partner") ? partner.issuer() : ours.issuer());
        })
        .build();
    app = JettyApp.withFilter(BearerTokenFilter.builder(validator).authenticated("/api/private").build(), context -> { });

    Answer a = app.getWithToken("/api/private", TOKEN);

    assertThat(a.status()).isEqualTo(200);
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).getPath()).endsWith("/api/private"); // the full URL, context path included
    assertThat(ours.hits("/userinfo")).isEqualTo(1);
    assertThat(partner.requests()).isEmpty();
  }
}
