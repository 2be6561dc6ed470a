package dev.tokenward.samples.support;

import dev.tokenward.test.DpopKey;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DPoP requests (RFC 9449) for the contract tests, over {@link ContractHttp}'s raw client, and a
 * reading of the answer's challenges: every {@code WWW-Authenticate} header, one per challenge.
 */
public final class DpopCalls {
  private DpopCalls() {}

  /** {@code GET path} with {@code Authorization: DPoP token} and one {@code DPoP} header per proof. */
  public static Answer get(URI base, String path, String token, String... proofs) {
    List<String> lines = new ArrayList<>();
    lines.add("Authorization: DPoP " + token);
    for (String proof : proofs) {
      lines.add("DPoP: " + proof);
    }
    return ContractHttp.get(base, path, lines);
  }

  /** A proof by {@code key} for {@code GET base + path} with {@code token}, as a correct client makes it. */
  public static String proof(DpopKey key, URI base, String path, String token) {
    return key.proof().method("GET").url(base + path).accessToken(token).sign();
  }

  /** Every {@code WWW-Authenticate} value, whatever case the server wrote the name in. */
  public static List<String> challenges(Answer a) {
    List<String> all = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : a.headers().entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase("WWW-Authenticate")) {
        all.addAll(e.getValue());
      }
    }
    return all;
  }

  /** The challenge of a scheme ({@code Bearer}, {@code DPoP}), if the answer has one. */
  public static Optional<String> challenge(Answer a, String scheme) {
    return challenges(a).stream().filter(c -> c.regionMatches(true, 0, scheme + " ", 0, scheme.length() + 1)).findFirst();
  }

  /** A quoted parameter of a challenge, e.g. {@code error}. */
  public static Optional<String> parameter(String challenge, String name) {
    Matcher m = Pattern.compile("(?:^\\S+ |, )" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(challenge);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
