package dev.tokenward.samples.servlet;

import dev.tokenward.samples.support.ShadedJarContract;

/** The shaded jar, run as {@code java -jar target/servlet-sample.jar} in a separate process. */
class ServletSampleJarIT extends ShadedJarContract {
  @Override
  protected String name() {
    return ServletSample.NAME;
  }
}
