package dev.tokenward.jaxrs.resources;

import dev.tokenward.core.VerifiedToken;
import dev.tokenward.jaxrs.Tokens;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;

/** No security annotation anywhere: its fate is the feature's switch. */
@Path("/plain")
public class PlainResource {
  @GET
  public String get(@Context SecurityContext security) {
    return "plain " + Tokens.find(security).map(VerifiedToken::subject).orElse("anonymous");
  }
}
