package dev.tokenward.jaxrs.resources;

import dev.tokenward.core.RequiresScopes;
import dev.tokenward.core.VerifiedToken;
import dev.tokenward.jaxrs.OptionalAuthentication;
import dev.tokenward.jaxrs.TokenParam;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;

/** Optional authentication, and the token injected portably as a parameter and as a field. */
@Path("/personal")
public class PersonalResource {
  @BeanParam
  TokenParam fieldToken;

  @GET
  @Path("greeting")
  @OptionalAuthentication
  public String greeting(@BeanParam TokenParam token) {
    return token.find().map(t -> "hello " + t.subject()).orElse("hello stranger");
  }

  @GET
  @Path("scoped")
  @RequiresScopes("read:messages")
  public String scoped(@BeanParam TokenParam token) {
    return "param=" + token.get().subject() + " field=" + fieldToken.find().map(VerifiedToken::subject).orElse("none");
  }

  @GET
  @Path("context")
  @RequiresScopes("read:messages")
  public String context(@Context VerifiedToken token) {
    return "context=" + token.subject();
  }
}
