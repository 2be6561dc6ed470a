package dev.tokenward.samples.servlet;

import dev.tokenward.samples.support.SampleContractTest;
import dev.tokenward.samples.support.SampleServer;

/** The runtime contract, over HTTP, against the servlet sample started as its main starts it. */
class ServletSampleContractTest extends SampleContractTest {
  @Override
  protected String name() {
    return ServletSample.NAME;
  }

  @Override
  protected SampleServer.Factory factory() {
    return ServletSample::server;
  }
}
