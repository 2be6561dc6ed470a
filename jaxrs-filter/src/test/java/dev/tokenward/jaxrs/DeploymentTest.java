package dev.tokenward.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.RequiresScopes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** A misconfigured annotation stops the application from starting, on Jersey and on RESTEasy. */
class DeploymentTest {
  private static final AccessTokenValidator VALIDATOR = AccessTokenValidator.builder()
      .issuer("http://127.0.0.1:9/").audience("https://api.tokenward.test").build();

  @Path("bad")
  public static class BadResource {
    @GET
    @RequiresScopes({})
    public String get() {
      return "never";
    }
  }

  @Path("good")
  public static class GoodResource {
    @GET
    @RequiresScopes("read:messages")
    public String get() {
      return "ok";
    }
  }

  @Test
  void deployWhenAnnotationHasNoValueThenApplicationFailsToStart() {
    assertThatThrownBy(() -> TestServer.start(TokenwardFeature.builder(VALIDATOR).build(), BadResource.class)
        .close())
        .satisfies(e -> Assertions.assertThat(rootCause(e)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("DeploymentTest$BadResource.get")
            .hasMessageContaining("@RequiresScopes names no value"));
  }

  @Path("bad-locator")
  public static class BadLocatorResource {
    @GET
    public String get() {
      return "never";
    }

    @Path("sub")
    @RequiresScopes({})
    public GoodResource sub() {
      return new GoodResource();
    }
  }

  // Issue #10 item 1: a locator's annotations are read when its class is deployed, so a misconfigured one stops the
  // deployment like one on a resource method (on the old code locators were never read: the application started).
  @Test
  void deployWhenLocatorAnnotationHasNoValueThenApplicationFailsToStartNamingTheLocator() {
    assertThatThrownBy(() -> TestServer.start(TokenwardFeature.builder(VALIDATOR).build(),
        BadLocatorResource.class).close())
        .satisfies(e -> Assertions.assertThat(rootCause(e)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("DeploymentTest$BadLocatorResource.sub")
            .hasMessageContaining("@RequiresScopes names no value"));
  }

  @Test
  void deployWhenAnnotationsValidThenApplicationStarts() throws Exception {
    try (TestServer server = TestServer.start(TokenwardFeature.builder(VALIDATOR).build(), GoodResource.class)) {
      assertThat(server.get("good").statusCode()).isEqualTo(401);
    }
  }

  @Test
  void buildWhenNoValidatorThenFailsNamingIt() {
    assertThatThrownBy(() -> TokenwardFeature.builder((dev.tokenward.core.AccessTokenValidator) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("validator");
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
