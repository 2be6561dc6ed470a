package dev.tokenward.redis;

import static dev.tokenward.redis.Poll.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.ConfigurationException;
import dev.tokenward.core.TokenwardConfig;
import dev.tokenward.test.TestIssuer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code redis-sentinel://} against a real Redis Sentinel ({@code redis-server --sentinel}, {@link LocalSentinel})
 * monitoring real redis-servers, and the schemes that are refused at start, by name.
 */
class RedisSentinelTest {

  @Test
  void uriWhenRedisSentinelThenRecordsGoToTheMasterItNamesAndThePasswordIsNeverShown() throws Exception {
    try (LocalRedis master = LocalRedis.start(); LocalSentinel sentinel = LocalSentinel.monitoring(master);
        RedisSharedState state = RedisSharedState.builder().uri(sentinel.uri()).commandTimeout(Duration.ofSeconds(2))
            .build()) {
      Instant until = Instant.now().plusSeconds(60);
      assertThat(state.dpopReplayStore().firstUse("k", until)).isTrue();
      assertThat(state.dpopReplayStore().firstUse("k", until)).isFalse();
      assertThat(master.keys()).containsExactly("tokenward:dpop:k");
      assertThat(state.toString()).contains("redis-sentinel://127.0.0.1:").contains("/0#" + LocalSentinel.MASTER);
    }
    String withPassword = "redis-sentinel://:hunter2@127.0.0.1:26379/0#" + LocalSentinel.MASTER;
    try (RedisSharedState state = RedisSharedState.builder().uri(withPassword).build()) {
      assertThat(state.toString()).isEqualTo("RedisSharedState{redis-sentinel://127.0.0.1:26379/0#"
          + LocalSentinel.MASTER + ", prefix=tokenward:}");
    }
  }

  @Test
  void firstUseWhenTheSentinelFailsOverThenRecordsGoToTheNewMasterWithoutARestart() throws Exception {
    try (LocalRedis master = LocalRedis.start(); LocalRedis replica = LocalRedis.start()) {
      master.command("CONFIG", "SET", "repl-diskless-sync-delay", "0"); // Redis waits 5 s for more replicas by default
      replica.command("REPLICAOF", "127.0.0.1", String.valueOf(master.port()));
      awaitTrue("the replica in sync", () -> ((String) replica.command("INFO", "replication"))
          .contains("master_link_status:up"));
      try (LocalSentinel sentinel = LocalSentinel.monitoring(master);
          RedisSharedState state = RedisSharedState.builder().uri(sentinel.uri())
              .commandTimeout(Duration.ofSeconds(2)).build()) {
        Instant until = Instant.now().plusSeconds(120);
        assertThat(state.dpopReplayStore().firstUse("before", until)).isTrue();
        assertThat(master.keys()).contains("tokenward:dpop:before");
        awaitTrue("the sentinel knows the replica", () -> !((List<?>) sentinel.command("SENTINEL", "REPLICAS",
            LocalSentinel.MASTER)).isEmpty());
        awaitTrue("the record replicated", () -> replica.keys().contains("tokenward:dpop:before"));

        master.stop(); // the master dies; the sentinel promotes the replica
        sentinel.command("SENTINEL", "FAILOVER", LocalSentinel.MASTER);
        awaitTrue("the sentinel names the replica as master", () -> sentinel.masterPort() == replica.port());

        // the connection to the dead master is lost; each reconnection asks the sentinel for the master again
        int[] attempt = {0};
        awaitTrue("a record lands on the new master", () -> {
          try {
            return state.dpopReplayStore().firstUse("after-" + attempt[0]++, until)
                && replica.keys().stream().anyMatch(k -> k.startsWith("tokenward:dpop:after-"));
          } catch (IOException stillSwitching) {
            return false; // reconnecting
          }
        });
        assertThat(state.dpopReplayStore().firstUse("before", until)).as("a replay after the failover").isFalse();
      }
    }
  }

  @Test
  void uriWhenTheSchemeIsNotServedThenFailsNamingTheSchemeNeverTheUri() {
    for (String uri : List.of("rediss-sentinel://:hunter2@127.0.0.1:26379/0#m", "redis-socket:///tmp/hunter2.sock",
        "memcached://:hunter2@127.0.0.1:11211")) {
      String scheme = uri.substring(0, uri.indexOf("://"));
      assertThatThrownBy(() -> RedisSharedState.builder().uri(uri)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the scheme " + scheme + ":// is not supported").hasMessageNotContaining("hunter2");
    }
    assertThatThrownBy(() -> RedisSharedState.builder().uri("redis-sentinel://:hunter2@127.0.0.1:26379/0"))
        .hasMessageContaining("#master").hasMessageNotContaining("hunter2");
  }

  @Test
  void configWhenTokenwardRedisUriHasAnUnservedSchemeThenStartFailsNamingItAndTheSchemesServed() {
    try (TestIssuer issuer = TestIssuer.defaults().start()) {
      TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", issuer.issuer(),
          "TOKENWARD_AUDIENCE", issuer.audience(), "TOKENWARD_REDIS_URI", "rediss-sentinel://:hunter2@h:26379/0#m"));
      assertThatThrownBy(config::validator).isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith("TOKENWARD_REDIS_URI: ")
          .hasMessageContaining("rediss-sentinel:// is not supported by dev.tokenward:tokenward-redis")
          .hasMessageContaining("redis-sentinel://").hasMessageNotContaining("hunter2");
    }
  }

  @Test
  void configWhenTokenwardRedisUriNamesASentinelThenTheValidatorSharesStateThroughIt() throws Exception {
    try (LocalRedis master = LocalRedis.start(); LocalSentinel sentinel = LocalSentinel.monitoring(master);
        TestIssuer issuer = TestIssuer.defaults().start()) {
      TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", issuer.issuer(),
          "TOKENWARD_AUDIENCE", issuer.audience(), "TOKENWARD_REDIS_URI", sentinel.uri(), "TOKENWARD_OPAQUE",
          "userinfo"));
      try (AccessTokenValidator v = config.validator()) {
        v.validate(issuer.opaqueToken(TestIssuer.DEMO_CLIENT, "read:messages"));
      }
      assertThat(master.keys()).singleElement().satisfies(k -> assertThat(k).startsWith("tokenward:online:"));
    }
  }
}
