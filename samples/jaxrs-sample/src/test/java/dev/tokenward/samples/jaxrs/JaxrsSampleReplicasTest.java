package dev.tokenward.samples.jaxrs;

import dev.tokenward.samples.support.SampleReplicasContract;
import dev.tokenward.samples.support.SampleServer;

/** Three replicas of the jaxrs sample sharing one real Redis through TOKENWARD_REDIS_URI. */
class JaxrsSampleReplicasTest extends SampleReplicasContract {
  @Override
  protected String name() {
    return JaxrsSample.NAME;
  }

  @Override
  protected SampleServer.Factory factory() {
    return JaxrsSample::server;
  }
}
