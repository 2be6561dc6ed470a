package dev.tokenward.samples.servlet;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.VerifiedToken;
import dev.tokenward.samples.support.Endpoint;
import dev.tokenward.samples.support.SampleResponses;
import dev.tokenward.servlet.Tokens;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Answers one endpoint of the table; for a protected one, the filter has already let the token in. */
final class EndpointServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final Endpoint endpoint;
  private final transient AccessTokenValidator validator;

  EndpointServlet(Endpoint endpoint, AccessTokenValidator validator) {
    this.endpoint = endpoint;
    this.validator = validator;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String body;
    if (endpoint.needsToken()) {
      VerifiedToken token = Tokens.from(request); // throws if the filter did not authenticate the request
      body = SampleResponses.verified(token);
    } else {
      body = SampleResponses.publicBody(endpoint, validator);
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setContentType(SampleResponses.CONTENT_TYPE);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}
