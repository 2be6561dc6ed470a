package dev.tokenward.samples.support;

import dev.tokenward.core.ValidationListener;
import dev.tokenward.micrometer.TokenwardMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The sample's {@code GET /metrics}: tokenward's Micrometer meters in a Prometheus registry, served in
 * the Prometheus text format. One per sample, shared by its validator (as listener) and its server.
 */
public final class SampleMetrics {
  /** The path both samples serve the scrape at, without a token. */
  public static final String PATH = "/metrics";
  /** The content type of the Prometheus text format, version 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final TokenwardMetrics listener = TokenwardMetrics.of(registry);

  /** The listener to give the validator, which moves the meters. */
  public ValidationListener listener() {
    return listener;
  }

  /** The registry the meters live in, for reading one in-process (the end-to-end benchmark reads the cache's hit rate). */
  public MeterRegistry registry() {
    return registry;
  }

  /** The meters now, in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }
}
