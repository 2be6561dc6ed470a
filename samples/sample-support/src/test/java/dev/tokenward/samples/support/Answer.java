package dev.tokenward.samples.support;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An HTTP answer as the contract tests see it. Header names are matched case-insensitively. */
public record Answer(int status, Map<String, List<String>> headers, String body) {

  /** The single value of a header, if present. */
  public Optional<String> header(String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return Optional.of(e.getValue().get(0));
      }
    }
    return Optional.empty();
  }

  /** The body as a JSON object. */
  public Map<String, Object> json() {
    try {
      return JSONObjectUtils.parse(body);
    } catch (ParseException e) {
      throw new AssertionError("the body is not a JSON object: " + body, e);
    }
  }

  /** A parameter of the {@code WWW-Authenticate: Bearer} challenge, e.g. {@code error}. */
  public Optional<String> challengeParameter(String name) {
    String challenge = header("WWW-Authenticate").orElse("");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:^Bearer |, )" + name + "=\"([^\"]*)\"")
        .matcher(challenge);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  @Override
  public String toString() {
    return status + " " + headers + " " + body;
  }
}
