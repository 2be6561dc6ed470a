package dev.tokenward.samples.support;

/**
 * A sample's environment is unusable: the message is one line that starts with the name of the
 * variable at fault ({@code TOKENWARD_AUDIENCE: required when TOKENWARD_ISSUER is set}), and the
 * process exits with {@link SampleLauncher#EXIT_CONFIGURATION_ERROR}.
 */
public final class ConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String variable;

  public ConfigurationException(String variable, String problem) {
    this(variable, problem, null);
  }

  public ConfigurationException(String variable, String problem, Throwable cause) {
    super(variable + ": " + oneLine(problem), cause);
    this.variable = variable;
  }

  /** The environment variable at fault, e.g. {@code TOKENWARD_AUDIENCE}. */
  public String variable() {
    return variable;
  }

  private static String oneLine(String s) {
    return s == null ? "invalid" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
