package dev.tokenward.samples.support;

/** The contract tests against the framework-free {@link ReferenceServer}: proves the tests and sample-support. */
class ReferenceSampleTest extends SampleContractTest {
  @Override
  protected String name() {
    return "reference-sample";
  }

  @Override
  protected SampleServer.Factory factory() {
    return ReferenceServer::start;
  }
}
