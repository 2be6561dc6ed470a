package dev.tokenward.samples.servlet;

import dev.tokenward.samples.support.SampleMetrics;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: the validator's meters in the Prometheus text format; the filter does not guard it. */
final class MetricsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient SampleMetrics metrics;

  MetricsServlet(SampleMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    byte[] bytes = metrics.scrape().getBytes(StandardCharsets.UTF_8);
    response.setContentType(SampleMetrics.CONTENT_TYPE);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}
