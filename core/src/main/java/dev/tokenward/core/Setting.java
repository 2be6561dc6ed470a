package dev.tokenward.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One configuration key, under the one name every source derives mechanically from it: the key
 * {@code jwks-uri} is the environment variable {@code TOKENWARD_JWKS_URI}, the system property
 * {@code tokenward.jwks-uri}, and the servlet init-parameter (or {@code Map} key) {@code jwks-uri}.
 * It also knows how to turn the text of a source into its typed value, and what the value is when
 * no source sets it.
 *
 * <p>tokenward's own keys are the constants of {@link StandardSettings}. An application declares
 * its own keys with the same factories and passes them to {@link TokenwardConfig.Builder#settings},
 * so that they are read, checked and listed like tokenward's, and a misspelling of them is caught
 * too. Immutable; the {@code with...} methods return a copy.
 *
 * @param <T> the type of the value
 */
public final class Setting<T> {
  /** The prefix of tokenward's environment variables. */
  public static final String ENVIRONMENT_PREFIX = "TOKENWARD_";
  /** The prefix of tokenward's system properties (and of its keys in a {@code Properties} file). */
  public static final String PROPERTY_PREFIX = "tokenward.";

  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  private final String key;
  private final String description;
  private final Function<String, T> parser;
  private final T defaultValue;
  private final List<String> choices; // accepted words (case-insensitive), for "did you mean"; empty: free text
  private final boolean secret;
  private final boolean prefixed;

  private Setting(String key, String description, Function<String, T> parser, T defaultValue, List<String> choices,
      boolean secret, boolean prefixed) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("setting key '" + key + "': use lower-case words joined by '-', "
          + "e.g. jwks-uri");
    }
    this.key = key;
    this.description = Objects.requireNonNull(description, "description");
    this.parser = Objects.requireNonNull(parser, "parser");
    this.defaultValue = defaultValue;
    this.choices = List.copyOf(choices);
    this.secret = secret;
    this.prefixed = prefixed;
  }

  // ------------------------------------------------------------------ factories

  /** Free text, trimmed; blank counts as unset. */
  public static Setting<String> string(String key, String description) {
    return new Setting<>(key, description, s -> s, null, List.of(), false, true);
  }

  /** A secret: read like {@link #string}, but its value never appears in a message, a log line or {@code toString}. */
  public static Setting<String> secret(String key, String description) {
    return new Setting<>(key, description, s -> s, null, List.of(), true, true);
  }

  /**
   * An absolute {@code https} (or {@code http}) URL with a host. Whether plain {@code http} is
   * acceptable is decided where the URL is used (tokenward allows it for loopback hosts, or with
   * {@link StandardSettings#ALLOW_HTTP}).
   */
  public static Setting<String> url(String key, String description) {
    return new Setting<>(key, description, Setting::parseUrl, null, List.of(), false, true);
  }

  /** A comma-separated list: each item trimmed, empty items dropped, duplicates removed; at least one item. */
  public static Setting<List<String>> list(String key, String description) {
    return new Setting<>(key, description, Setting::parseList, null, List.of(), false, true);
  }

  /** {@code true} or {@code false}, in any case; default {@code false}. */
  public static Setting<Boolean> bool(String key, String description) {
    return new Setting<>(key, description, s -> Boolean.parseBoolean(choose(s, List.of("true", "false"))), false,
        List.of("true", "false"), false, true);
  }

  /** A whole number from {@code min} to {@code max}. */
  public static Setting<Integer> integer(String key, String description, int min, int max) {
    return new Setting<>(key, description, s -> (int) parseWhole(s, min, max, ""), null, List.of(), false, true);
  }

  /** A duration given as whole seconds from {@code min} to {@code max}; by convention its key ends in {@code -seconds}. */
  public static Setting<Duration> seconds(String key, String description, long min, long max) {
    return new Setting<>(key, description, s -> Duration.ofSeconds(parseWhole(s, min, max, " of seconds")), null,
        List.of(), false, true);
  }

  /** One of a few words, in any case; the value is the word as listed here. */
  public static Setting<String> oneOf(String key, String description, String... choices) {
    List<String> words = List.of(choices);
    return new Setting<>(key, description, s -> choose(s, words), null, words, false, true);
  }

  /**
   * One constant of an enum, written in lower case with {@code -} for {@code _}
   * ({@code OpaqueTokenPolicy.USERINFO} is {@code userinfo}), in any case.
   */
  public static <E extends Enum<E>> Setting<E> oneOf(String key, String description, Class<E> type) {
    List<String> words = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      words.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    return new Setting<>(key, description,
        s -> Enum.valueOf(type, choose(s, words).toUpperCase(Locale.ROOT).replace('-', '_')), null, words, false, true);
  }

  /** A setting whose text is parsed by {@code parser}, which throws {@link IllegalArgumentException} saying what is wrong. */
  public static <T> Setting<T> of(String key, String description, Function<String, T> parser) {
    return new Setting<>(key, description, parser, null, List.of(), false, true);
  }

  // ------------------------------------------------------------------ copies

  /** This setting with a value for when no source sets it. */
  public Setting<T> withDefault(T value) {
    return new Setting<>(key, description, parser, Objects.requireNonNull(value, "value"), choices, secret, prefixed);
  }

  /**
   * This setting without tokenward's prefixes, for an application's own key: {@code port} is the
   * environment variable {@code PORT} and the system property {@code port}.
   */
  public Setting<T> withoutPrefix() {
    return new Setting<>(key, description, parser, defaultValue, choices, secret, false);
  }

  // ------------------------------------------------------------------ names

  /** The key, e.g. {@code jwks-uri}: the name in a {@code Map} and as a servlet init-parameter. */
  public String key() {
    return key;
  }

  /** The environment variable, e.g. {@code TOKENWARD_JWKS_URI}. */
  public String environmentVariable() {
    return environmentName(key, prefixed);
  }

  /** The system property (and key in a {@code Properties} file), e.g. {@code tokenward.jwks-uri}. */
  public String systemProperty() {
    return prefixed ? PROPERTY_PREFIX + key : key;
  }

  /** The servlet init-parameter, e.g. {@code jwks-uri}: the key itself. */
  public String initParameter() {
    return key;
  }

  /** What the setting means, one sentence for a table or a message. */
  public String description() {
    return description;
  }

  /** The value when no source sets the setting, or {@code null} if it has none. */
  public T defaultValue() {
    return defaultValue;
  }

  /** The accepted words of a setting that takes one of a few (empty for free text). */
  public List<String> choices() {
    return choices;
  }

  /** True for a secret, whose value is never shown. */
  public boolean isSecret() {
    return secret;
  }

  /** False for an application's key declared {@link #withoutPrefix()}. */
  public boolean isPrefixed() {
    return prefixed;
  }

  /**
   * The typed value of {@code text} (already trimmed, not blank).
   *
   * @throws IllegalArgumentException saying what is wrong, without the value if it is a secret
   */
  public T parse(String text) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      if (secret) {
        throw new IllegalArgumentException("invalid value (not shown: it is a secret)");
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    return key;
  }

  // ------------------------------------------------------------------ helpers

  static String environmentName(String key, boolean prefixed) {
    return (prefixed ? ENVIRONMENT_PREFIX : "") + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** The key an environment variable names ({@code TOKENWARD_JWKS_URI} is {@code jwks-uri}). */
  static String keyOfEnvironment(String name, boolean prefixed) {
    String rest = prefixed ? name.substring(ENVIRONMENT_PREFIX.length()) : name;
    return rest.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String choose(String text, List<String> words) {
    for (String w : words) {
      if (w.equalsIgnoreCase(text)) {
        return w;
      }
    }
    String near = DidYouMean.closest(text.toLowerCase(Locale.ROOT), words);
    throw new IllegalArgumentException(Json.shown(text) + " is not one of " + String.join(", ", words)
        + (near == null ? "" : "; did you mean " + near + "?"));
  }

  private static long parseWhole(String text, long min, long max, String unit) {
    long v;
    try {
      v = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a whole number" + unit + " from " + min + " to " + max + ", got "
          + Json.shown(text));
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException("must be a whole number" + unit + " from " + min + " to " + max + ", got " + v);
    }
    return v;
  }

  private static List<String> parseList(String text) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("lists no value; give one or more, comma-separated");
    }
    return List.copyOf(out);
  }

  private static String parseUrl(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
      throw new IllegalArgumentException("must be an absolute https URL, got " + Json.shown(text));
    }
    return text;
  }
}
