package dev.tokenward.samples.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The contract's "build and start" section against the real artifact: {@code java -jar
 * target/NAME.jar} in a separate process, with the environment cleared of the contract's variables.
 * Run by maven-failsafe after {@code package}; the jar's path comes in the system property
 * {@code sample.jar}.
 */
public abstract class ShadedJarContract {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:(\\d+))");

  /** The sample's name, as in its {@code NAME listening on ...} line. */
  protected abstract String name();

  protected Path jar() {
    String path = System.getProperty("sample.jar");
    assertThat(path).as("system property sample.jar (set by failsafe)").isNotNull();
    return Path.of(path);
  }

  private Process launch(Map<String, String> variables) throws IOException {
    assertThat(jar()).exists().isRegularFile();
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", jar().toString());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(SampleConfiguration.VARIABLES::contains);
    env.putAll(variables);
    return pb.start();
  }

  @Test
  void theJarStartsWithTheDevIssuerPrintsTheListeningLineServesAndStops() throws Exception {
    Process process = launch(Map.of(SampleConfiguration.PORT, "0"));
    List<String> out = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    try {
      CompletableFuture<URI> listening = CompletableFuture.supplyAsync(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            out.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
              assertThat(line).isEqualTo(name() + " listening on " + m.group(1));
              assertThat(Integer.parseInt(m.group(2))).isPositive();
              return URI.create(m.group(1));
            }
          }
          return null;
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      URI base = listening.get(60, TimeUnit.SECONDS);
      assertThat(base).as("no 'listening on' line; stdout %s", out).isNotNull();
      assertThat(out).anyMatch(l -> l.startsWith("TOKEN=$(curl"));
      // the DPoP example signs its proofs with this very jar
      assertThat(out).anyMatch(l -> l.startsWith("PROOF=$(java -jar " + jar().toAbsolutePath() + " dpop-proof --key "));

      assertThat(ContractHttp.get(base, Endpoint.HEALTH.path()).status()).isEqualTo(200);
      assertThat(ContractHttp.get(base, Endpoint.PUBLIC.path()).json()).containsKey("message");
      Answer refused = ContractHttp.get(base, Endpoint.PRIVATE.path());
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.header("WWW-Authenticate")).get().asString().startsWith("Bearer realm=\"tokenward\"");

      // GET /health started the key fetch in the background; let it finish, or the shutdown below cuts it
      // and its WARN (a SocketException from the closing dev issuer) lands on stderr (seen under load)
      long ready = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (ContractHttp.get(base, SampleResponses.READY_PATH).status() != 200 && System.nanoTime() < ready) {
        Thread.sleep(50);
      }
      // SIGTERM: the shutdown hook stops the server. Through the ProcessHandle, because
      // Process.destroy() also closes the child's stdout and stderr streams, so the stderr reader
      // above fails with "Stream closed" whenever it has not reached end-of-file yet (a CI flake).
      process.toHandle().destroy();
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stops after SIGTERM").isTrue();
      assertThat(err.get(5, TimeUnit.SECONDS)).doesNotContain("Exception");
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void aConfigurationErrorExitsWithCode2AndOneLineNamingTheVariable() throws Exception {
    Process process = launch(Map.of(SampleConfiguration.PORT, "0",
        SampleConfiguration.ISSUER, "https://tenant.example.com/"));
    try {
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(SampleLauncher.EXIT_CONFIGURATION_ERROR);
      assertThat(err.get(5, TimeUnit.SECONDS)).startsWith(SampleConfiguration.AUDIENCE + ": required when "
          + SampleConfiguration.ISSUER + " is set").hasLineCount(1);
      assertThat(out.get(5, TimeUnit.SECONDS)).doesNotContain("listening on");
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void theJarPrintsADpopProofWithAKeyFileOnlyItsOwnerCanRead(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path keyFile = dir.resolve("keys").resolve("dpop-key.json");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-jar", jar().toString(), DpopProofCommand.NAME, "--key", keyFile.toString(), "GET",
        "http://127.0.0.1:8080/api/private", "a-token");
    Process process = pb.start();
    try {
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("stderr: %s", err.get(5, TimeUnit.SECONDS)).isZero();
      String proof = out.get(5, TimeUnit.SECONDS).trim();
      assertThat(proof).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(keyFile)))
          .isEqualTo("rw-------");
      String key = java.nio.file.Files.readString(keyFile);
      assertThat(dev.tokenward.test.DpopKey.fromPrivateJson(key).proof().url("http://x/").sign().split("\\.")[0])
          .isEqualTo(proof.split("\\.")[0]); // the proof's header carries the file's public key
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void theJarWithTokenwardRedisUriRecordsDpopProofsInThatRedis() throws Exception {
    try (dev.tokenward.redis.LocalRedis redis = dev.tokenward.redis.LocalRedis.start();
        dev.tokenward.test.TestIssuer issuer = dev.tokenward.test.TestIssuer.defaults().start()) {
      Process process = launch(Map.of(SampleConfiguration.PORT, "0", SampleConfiguration.ISSUER, issuer.issuer(),
          SampleConfiguration.AUDIENCE, dev.tokenward.test.TestIssuer.DEFAULT_API, "TOKENWARD_REDIS_URI", redis.uri()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      try {
        URI base = CompletableFuture.supplyAsync(() -> {
          try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
              Matcher m = LISTENING.matcher(line);
              if (m.find()) {
                return URI.create(m.group(1));
              }
            }
            return null;
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }).get(60, TimeUnit.SECONDS);
        assertThat(base).as("no 'listening on' line").isNotNull();
        dev.tokenward.test.DpopKey client = dev.tokenward.test.DpopKey.es256();
        String token = issuer.jwt().boundTo(client).sign();
        String proof = client.proof().method("GET").url(base + Endpoint.PRIVATE.path()).accessToken(token).sign();
        List<String> headers = List.of("Authorization: DPoP " + token, "DPoP: " + proof);

        assertThat(ContractHttp.get(base, Endpoint.PRIVATE.path(), headers).status()).isEqualTo(200);
        assertThat(ContractHttp.get(base, Endpoint.PRIVATE.path(), headers).status()).isEqualTo(401);
        assertThat(redis.keys()).singleElement().satisfies(k -> assertThat(k).startsWith("tokenward:dpop:"));
      } finally {
        process.toHandle().destroy();
        process.waitFor(20, TimeUnit.SECONDS);
        process.destroyForcibly();
      }
    }
  }

  private static String readAll(java.io.InputStream in) {
    try {
      return ContractHttp.read(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
