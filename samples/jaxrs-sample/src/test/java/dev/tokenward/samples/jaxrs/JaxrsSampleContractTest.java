package dev.tokenward.samples.jaxrs;

import dev.tokenward.samples.support.SampleContractTest;
import dev.tokenward.samples.support.SampleServer;

/** The runtime contract, over HTTP, against the JAX-RS sample started as its main starts it. */
class JaxrsSampleContractTest extends SampleContractTest {
  @Override
  protected String name() {
    return JaxrsSample.NAME;
  }

  @Override
  protected SampleServer.Factory factory() {
    return JaxrsSample::server;
  }
}
