package dev.tokenward.samples.support;

import dev.tokenward.core.DpopPolicy;
import dev.tokenward.core.OpaqueTokenPolicy;
import dev.tokenward.test.TestIssuer;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a sample prints when it runs the embedded dev issuer: where the issuer is, its preset
 * clients, and ready-to-paste {@code curl} commands (bash) that get a token at the issuer's token
 * endpoint and call the sample: one that is let in (200), one that lacks the scope (403), and an
 * opaque token (401, or 200 when opaque tokens are checked online); and, unless DPoP is off, a
 * DPoP-bound token sent with proofs that the sample jar's {@code dpop-proof} command signs.
 */
public final class DevQuickstart {
  /** One example: what it shows, the status it gets, and its shell lines. */
  public record Example(String title, int expectedStatus, List<String> commands) {}

  private DevQuickstart() {}

  /** The examples for a sample at {@code sample} using {@code issuer} with the given opaque-token policy. */
  public static List<Example> examples(TestIssuer issuer, URI sample, OpaqueTokenPolicy opaque) {
    String scoped = sample + Endpoint.PRIVATE_SCOPED.path();
    List<Example> out = new ArrayList<>();
    out.add(new Example("demo-client's token grants read:messages", 200, List.of(
        tokenCommand(issuer, TestIssuer.DEMO_CLIENT, TestIssuer.DEMO_SECRET, TestIssuer.DEFAULT_API), call(scoped))));
    out.add(new Example("limited-client's token lacks read:messages: insufficient_scope", 403, List.of(
        tokenCommand(issuer, TestIssuer.LIMITED_CLIENT, TestIssuer.LIMITED_SECRET, TestIssuer.DEFAULT_API), call(scoped))));
    boolean online = opaque != OpaqueTokenPolicy.REJECT;
    out.add(new Example("a token requested without audience is opaque: "
        + (online ? "the issuer vouches for it (TOKENWARD_OPAQUE=" + opaque.name().toLowerCase(Locale.ROOT) + ")"
            : "refused as invalid_token (TOKENWARD_OPAQUE=userinfo would let it in)"),
        online ? 200 : 401, List.of(
        tokenCommand(issuer, TestIssuer.DEMO_CLIENT, TestIssuer.DEMO_SECRET, null), call(scoped))));
    return List.copyOf(out);
  }

  /** Says that the dev issuer runs, where, and what its preset holds. */
  public static void describeIssuer(PrintStream out, String name, TestIssuer issuer) {
    out.println(name + ": " + SampleConfiguration.ISSUER + " is unset, so a development issuer runs in this process at "
        + issuer.issuer() + " (a development aid, not an authorization server)");
    out.println(name + ": its API " + TestIssuer.DEFAULT_API + " has the scopes read:messages and admin:all; clients "
        + TestIssuer.DEMO_CLIENT + "/" + TestIssuer.DEMO_SECRET + " (read:messages), "
        + TestIssuer.LIMITED_CLIENT + "/" + TestIssuer.LIMITED_SECRET + " (none), "
        + TestIssuer.ADMIN_CLIENT + "/" + TestIssuer.ADMIN_SECRET + " (read:messages admin:all)");
  }

  /** Prints the examples as bash, each block headed by {@code # WHAT -> STATUS}. */
  public static void printExamples(PrintStream out, TestIssuer issuer, URI sample, OpaqueTokenPolicy opaque) {
    print(out, examples(issuer, sample, opaque));
  }

  /**
   * Prints the examples of a sample configured by {@code config}: the bearer ones, then, unless
   * {@code TOKENWARD_DPOP=off}, the DPoP one ({@link #dpopExample}).
   */
  public static void printExamples(PrintStream out, TestIssuer issuer, URI sample, SampleConfiguration config) {
    List<Example> all = new ArrayList<>(examples(issuer, sample, config.opaqueTokens()));
    dpopExample(issuer, sample, config, proofCommand(config.dpopKeyFile())).ifPresent(all::add);
    print(out, all);
  }

  private static void print(PrintStream out, List<Example> examples) {
    out.println();
    out.println("Try it (bash):");
    out.println();
    for (Example e : examples) {
      out.println("# " + e.title() + " -> " + e.expectedStatus());
      e.commands().forEach(out::println);
      out.println();
    }
  }

  /**
   * The bash line that puts a client-credentials token from {@code issuer} into {@code $TOKEN};
   * without {@code audience} the issuer answers an opaque token, as Auth0 does.
   */
  public static String tokenCommand(TestIssuer issuer, String clientId, String secret, String audience) {
    return "TOKEN=$(curl -s " + issuer.tokenEndpoint() + " -d grant_type=client_credentials -d client_id=" + clientId
        + " -d client_secret=" + secret + (audience == null ? "" : " --data-urlencode audience=" + audience)
        + " | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')";
  }

  /**
   * DPoP end to end (RFC 9449), as a DPoP client does it: sign a proof for the token request, get a
   * token bound to that key ({@code "token_type": "DPoP"}), sign a proof for the call with the token,
   * and call {@code /api/private} with {@code Authorization: DPoP} and the {@code DPoP} header. With
   * {@code TOKENWARD_DPOP_NONCE=true} it first reads the server's {@code DPoP-Nonce} from a 401.
   * Empty with {@code TOKENWARD_DPOP=off}.
   *
   * @param proofCommand the shell words that print a proof ({@link #proofCommand})
   */
  public static java.util.Optional<Example> dpopExample(TestIssuer issuer, URI sample, SampleConfiguration config,
      String proofCommand) {
    if (config.dpop() == DpopPolicy.OFF) {
      return java.util.Optional.empty();
    }
    String url = sample + Endpoint.PRIVATE.path();
    String htu = config.baseUrl().map(base -> base + Endpoint.PRIVATE.path()).orElse(url); // behind a proxy: the external URL
    List<String> lines = new ArrayList<>();
    lines.add("PROOF=$(" + proofCommand + " POST " + issuer.tokenEndpoint() + ")");
    lines.add(tokenCommand(issuer, TestIssuer.DEMO_CLIENT, TestIssuer.DEMO_SECRET, TestIssuer.DEFAULT_API)
        .replace("TOKEN=$(curl -s ", "TOKEN=$(curl -s -H \"DPoP: $PROOF\" "));
    lines.add("PROOF=$(" + proofCommand + " GET " + htu + " \"$TOKEN\")");
    String dpopCall = url + " -H \"Authorization: DPoP $TOKEN\" -H \"DPoP: $PROOF\"";
    if (config.dpopNonce()) {
      lines.add("NONCE=$(curl -s -o /dev/null -D - " + dpopCall
          + " | sed -n -E 's/^[Dd][Pp][Oo][Pp]-[Nn]once: *([^[:space:]]+).*/\\1/p')");
      lines.add("PROOF=$(" + proofCommand + " --nonce \"$NONCE\" GET " + htu + " \"$TOKEN\")");
    }
    lines.add("curl -i " + dpopCall);
    return java.util.Optional.of(new Example("DPoP (RFC 9449): a token bound to the key in " + config.dpopKeyFile()
        + " (\"token_type\": \"DPoP\"), sent with a fresh proof signed by it"
        + (config.dpopNonce() ? ", after a first call that fetches the server's DPoP-Nonce" : ""), 200, List.copyOf(lines)));
  }

  /**
   * The shell words that print a DPoP proof with the key in {@code keyFile}: {@code java -jar SAMPLE.jar
   * dpop-proof --key FILE} when this process is a sample jar, else the class path and
   * {@link DpopProofCommand}'s main class.
   */
  public static String proofCommand(Path keyFile) {
    String classPath = System.getProperty("java.class.path", "");
    String prefix;
    if (!classPath.isEmpty() && !classPath.contains(File.pathSeparator) && classPath.endsWith(".jar")
        && isLaunchedJar(classPath)) {
      prefix = "java -jar " + quote(Path.of(classPath).toAbsolutePath().toString()) + " " + DpopProofCommand.NAME;
    } else {
      prefix = "java -cp " + quote(classPath) + " " + DpopProofCommand.class.getName();
    }
    return prefix + " --key " + quote(keyFile.toAbsolutePath().toString());
  }

  /** True when {@code jar} holds the sample itself (so {@code java -jar} reaches its main), not only a class path. */
  private static boolean isLaunchedJar(String jar) {
    try {
      java.security.CodeSource source = DpopProofCommand.class.getProtectionDomain().getCodeSource();
      return source != null && Path.of(source.getLocation().toURI()).toAbsolutePath()
          .equals(Path.of(jar).toAbsolutePath());
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return false;
    }
  }

  /** A word for bash: single-quoted unless it is plain. */
  static String quote(String word) {
    if (word.matches("[A-Za-z0-9_@%+=:,./-]+")) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  private static String call(String url) {
    return "curl -i " + url + " -H \"Authorization: Bearer $TOKEN\"";
  }
}
