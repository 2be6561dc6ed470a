package dev.tokenward.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.RequiresScopes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.assertj.core.api.Assertions;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/** A misconfigured annotation stops the application from starting, on Jersey. */
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
    ResourceConfig config = new ResourceConfig(BadResource.class)
        .register(TokenwardFeature.builder().validator(VALIDATOR).build());
    assertThatThrownBy(() -> new ApplicationHandler(config))
        .satisfies(e -> Assertions.assertThat(rootCause(e)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("DeploymentTest$BadResource.get")
            .hasMessageContaining("@RequiresScopes names no value"));
  }

  @Test
  void deployWhenAnnotationsValidThenApplicationStarts() {
    ResourceConfig config = new ResourceConfig(GoodResource.class)
        .register(TokenwardFeature.builder().validator(VALIDATOR).build());
    assertThat(new ApplicationHandler(config)).isNotNull();
  }

  @Test
  void buildWhenNoValidatorThenFailsNamingIt() {
    assertThatThrownBy(() -> TokenwardFeature.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("validator");
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
