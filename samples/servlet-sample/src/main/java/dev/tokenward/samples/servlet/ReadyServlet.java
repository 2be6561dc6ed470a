package dev.tokenward.samples.servlet;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.samples.support.SampleResponses;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /health/ready}: 200 once the issuers' keys are loaded, 503 with the same JSON while one has none. */
final class ReadyServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient AccessTokenValidator validator;

  ReadyServlet(AccessTokenValidator validator) {
    this.validator = validator;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    SampleResponses.Readiness readiness = SampleResponses.readiness(validator);
    byte[] bytes = readiness.body().getBytes(StandardCharsets.UTF_8);
    response.setStatus(readiness.status());
    response.setHeader("Cache-Control", "no-store");
    response.setContentType(SampleResponses.CONTENT_TYPE);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}
