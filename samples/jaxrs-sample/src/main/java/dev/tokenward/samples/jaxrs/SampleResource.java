package dev.tokenward.samples.jaxrs;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.Authenticated;
import dev.tokenward.core.RequiresGrants;
import dev.tokenward.core.RequiresStepUp;
import dev.tokenward.jaxrs.Tokens;
import dev.tokenward.samples.support.Endpoint;
import dev.tokenward.samples.support.SampleResponses;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * The endpoint table ({@link Endpoint}) as JAX-RS resource methods. {@code @RequiresGrants} is
 * met by a value granted as a scope or as a permission, as the contract asks; {@code @PermitAll}
 * methods never look at the {@code Authorization} header.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class SampleResource {

  /** The property of the application under which the sample's validator is found, for the health endpoints. */
  static final String VALIDATOR_PROPERTY = AccessTokenValidator.class.getName();

  @GET
  @Path("health")
  @PermitAll
  public String health(@Context Configuration configuration) {
    return SampleResponses.health(validator(configuration));
  }

  @GET
  @Path("health/ready")
  @PermitAll
  public Response ready(@Context Configuration configuration) {
    SampleResponses.Readiness readiness = SampleResponses.readiness(validator(configuration));
    return Response.status(readiness.status())
        .header("Cache-Control", "no-store")
        .entity(readiness.body())
        .build();
  }

  private static AccessTokenValidator validator(Configuration configuration) {
    return (AccessTokenValidator) configuration.getProperty(VALIDATOR_PROPERTY);
  }

  @GET
  @Path("api/public")
  @PermitAll
  public String publicMessage() {
    return SampleResponses.publicMessage();
  }

  @GET
  @Path("api/private")
  @Authenticated
  public String privateMessage(@Context SecurityContext security) {
    return SampleResponses.verified(Tokens.from(security));
  }

  @GET
  @Path("api/private-scoped")
  @RequiresGrants(Endpoint.READ_MESSAGES)
  public String privateScoped(@Context SecurityContext security) {
    return SampleResponses.verified(Tokens.from(security));
  }

  @GET
  @Path("api/admin")
  @RequiresGrants(Endpoint.ADMIN_ALL)
  public String admin(@Context SecurityContext security) {
    return SampleResponses.verified(Tokens.from(security));
  }

  /** The feature's step-up policy (TOKENWARD_STEP_UP_ACR, TOKENWARD_STEP_UP_MAX_AGE_SECONDS). */
  @GET
  @Path("api/step-up")
  @RequiresStepUp
  public String stepUp(@Context SecurityContext security) {
    return SampleResponses.verified(Tokens.from(security));
  }
}
