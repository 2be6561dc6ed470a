package dev.tokenward.samples.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.TokenRequest;
import dev.tokenward.test.DpopKey;
import dev.tokenward.test.DpopProofBuilder;
import dev.tokenward.test.TestIssuer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample jars' {@code dpop-proof} command: the proof it prints, and the key file it keeps. */
class DpopProofCommandTest {
  @TempDir
  Path dir;

  record Run(int code, String out, String err) {}

  private Run run(Path keyFile, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = DpopProofCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), keyFile);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Map<String, Object> part(String jws, int i) throws Exception {
    return JSONObjectUtils.parse(new String(Base64.getUrlDecoder().decode(jws.split("\\.")[i]), StandardCharsets.UTF_8));
  }

  @Test
  void firstUseCreatesAnOwnerOnlyKeyFileAndPrintsOnlyTheProof() throws Exception {
    Path keyFile = dir.resolve("new-dir").resolve("dpop-key.json");
    Run r = run(keyFile, "GET", "http://127.0.0.1:8080/api/private?x=1", "the-token");

    assertThat(r.code()).isZero();
    assertThat(r.out().lines()).hasSize(1);
    String proof = r.out().trim();
    assertThat(part(proof, 0)).containsEntry("typ", "dpop+jwt").containsEntry("alg", "ES256");
    assertThat(((Map<?, ?>) part(proof, 0).get("jwk")).containsKey("d")).isFalse();
    assertThat(part(proof, 1)).containsEntry("htm", "GET").containsEntry("htu", "http://127.0.0.1:8080/api/private")
        .containsEntry("ath", DpopProofBuilder.accessTokenHash("the-token")).containsKeys("jti", "iat");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile.getParent()))).isEqualTo("rwx------");
    assertThat(r.err()).contains("created").contains(keyFile.toString()).doesNotContain("\"d\"");
  }

  @Test
  void laterUsesSignWithTheSameKeyAndNoAthWithoutAToken() throws Exception {
    Path keyFile = dir.resolve("dpop-key.json");
    String first = run(keyFile, "POST", "http://127.0.0.1:9/oauth/token").out().trim();
    Run second = run(keyFile, "--nonce", "n-1", "post", "http://127.0.0.1:9/oauth/token");
    assertThat(second.err()).isEmpty();
    assertThat(part(second.out().trim(), 0).get("jwk")).isEqualTo(part(first, 0).get("jwk"));
    assertThat(part(first, 1)).doesNotContainKey("ath").doesNotContainKey("nonce");
    assertThat(part(second.out().trim(), 1)).containsEntry("nonce", "n-1").containsEntry("htm", "POST");
    assertThat(part(second.out().trim(), 1).get("jti")).isNotEqualTo(part(first, 1).get("jti"));
  }

  @Test
  void aKeyFileOthersCanReadIsRefused() throws Exception {
    Path keyFile = dir.resolve("dpop-key.json");
    Files.writeString(keyFile, DpopKey.es256().toPrivateJson());
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
    Run r = run(keyFile, "GET", "http://127.0.0.1/x");
    assertThat(r.code()).isEqualTo(DpopProofCommand.EXIT_USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("chmod 600").contains(keyFile.toString()).hasLineCount(1);
  }

  @Test
  void wrongInvocationsExitWith2AndOneLine() {
    Path keyFile = dir.resolve("k.json");
    for (String[] args : new String[][] {{}, {"GET"}, {"GET", "/relative"}, {"--key"}, {"GET", "http://a/", "t", "extra"}}) {
      Run r = run(keyFile, args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(DpopProofCommand.EXIT_USAGE);
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).hasLineCount(1);
    }
    assertThat(Files.exists(keyFile)).isFalse();
  }

  @Test
  void theProofItPrintsIsAcceptedForATokenBoundToTheFilesKey() throws Exception {
    Path keyFile = dir.resolve("dpop-key.json");
    String url = "https://api.example.test/api/private";
    run(keyFile, "GET", url); // creates the key
    DpopKey key = DpopKey.fromPrivateJson(Files.readString(keyFile));
    try (TestIssuer issuer = TestIssuer.defaults().start(); AccessTokenValidator validator = issuer.validator()) {
      String token = issuer.dpopAccessToken(key, TestIssuer.DEMO_CLIENT, TestIssuer.DEFAULT_API);
      String proof = run(keyFile, "GET", url, token).out().trim();
      assertThat(validator.validate(TokenRequest.builder("GET", url).authorization("DPoP " + token).dpopProof(proof)
          .build()).subject()).isEqualTo(TestIssuer.DEMO_CLIENT + "@clients");
    }
  }
}
