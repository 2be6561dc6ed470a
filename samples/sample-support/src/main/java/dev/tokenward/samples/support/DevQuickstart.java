package dev.tokenward.samples.support;

import dev.tokenward.core.OpaqueTokenPolicy;
import dev.tokenward.test.TestIssuer;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a sample prints when it runs the embedded dev issuer: where the issuer is, its preset
 * clients, and ready-to-paste {@code curl} commands (bash) that get a token at the issuer's token
 * endpoint and call the sample: one that is let in (200), one that lacks the scope (403), and an
 * opaque token (401, or 200 when opaque tokens are checked online).
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
    out.println();
    out.println("Try it (bash):");
    out.println();
    for (Example e : examples(issuer, sample, opaque)) {
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

  private static String call(String url) {
    return "curl -i " + url + " -H \"Authorization: Bearer $TOKEN\"";
  }
}
