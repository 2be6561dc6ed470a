package dev.tokenward.core;

/**
 * A configuration that cannot be used: an unknown or misspelt key, a value that does not parse, or
 * a combination tokenward refuses. The message is one line that starts with the name of the setting
 * as its source spells it ({@code TOKENWARD_AUDIENCE: required when TOKENWARD_ISSUER is set ...},
 * {@code init-param 'audience': required ...}) and never shows a secret.
 */
public final class ConfigurationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String key;
  private final String problem;

  /**
   * A problem with one setting.
   *
   * @param name the setting as its source spells it, e.g. {@code TOKENWARD_AUDIENCE}
   * @param key the setting's key, e.g. {@code audience} (for an unknown setting: the key it would have)
   * @param problem what is wrong, and what to do
   * @param cause the error of the component that refused the value, or {@code null}
   */
  public ConfigurationException(String name, String key, String problem, Throwable cause) {
    super(name + ": " + oneLine(problem), cause);
    this.name = name;
    this.key = key;
    this.problem = oneLine(problem);
  }

  /** The setting as its source spells it: {@code TOKENWARD_AUDIENCE}, {@code tokenward.audience}, {@code init-param 'audience'}. */
  public String name() {
    return name;
  }

  /** The setting's key, e.g. {@code audience}. */
  public String key() {
    return key;
  }

  /** The message without the leading name. */
  public String problem() {
    return problem;
  }

  private static String oneLine(String s) {
    return s == null ? "invalid" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
