package dev.tokenward.samples.servlet;

import dev.tokenward.samples.support.SampleReplicasContract;
import dev.tokenward.samples.support.SampleServer;

/** Three replicas of the servlet sample sharing one real Redis through TOKENWARD_REDIS_URI. */
class ServletSampleReplicasTest extends SampleReplicasContract {
  @Override
  protected String name() {
    return ServletSample.NAME;
  }

  @Override
  protected SampleServer.Factory factory() {
    return ServletSample::server;
  }
}
