package dev.tokenward.samples.jaxrs;

import dev.tokenward.samples.support.ShadedJarContract;

/** The shaded jar, run as {@code java -jar target/jaxrs-sample.jar} in a separate process. */
class JaxrsSampleJarIT extends ShadedJarContract {
  @Override
  protected String name() {
    return JaxrsSample.NAME;
  }
}
