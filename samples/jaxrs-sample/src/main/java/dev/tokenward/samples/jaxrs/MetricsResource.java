package dev.tokenward.samples.jaxrs;

import dev.tokenward.samples.support.SampleMetrics;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** {@code GET /metrics}: the validator's meters in the Prometheus text format, without a token. */
@Path("metrics")
public class MetricsResource {
  private final SampleMetrics metrics;

  /** Serves the meters of {@code metrics}. */
  public MetricsResource(SampleMetrics metrics) {
    this.metrics = metrics;
  }

  /** The scrape. */
  @GET
  @PermitAll
  public Response scrape() {
    return Response.ok(metrics.scrape()).header("Content-Type", SampleMetrics.CONTENT_TYPE).build();
  }
}
