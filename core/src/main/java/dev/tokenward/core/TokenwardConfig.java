package dev.tokenward.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * tokenward's settings as read from the environment, system properties, a {@code Properties} file,
 * a {@code Map} or servlet init-parameters: every value parsed and checked when read, and turned
 * into an {@link AccessTokenValidator} by {@link #validator()}. The builder stays the typed form of
 * the same settings; this is their text form, under one name per setting (see {@link Setting}).
 *
 * <pre>{@code
 * // TOKENWARD_ISSUER=https://tenant.auth0.com/ TOKENWARD_AUDIENCE=https://api.example.com
 * AccessTokenValidator validator = TokenwardConfig.load().validator();
 * }</pre>
 *
 * <p>Unknown keys are errors, not silently ignored: {@code TOKENWARD_AUDIANCE} fails with "did you
 * mean TOKENWARD_AUDIENCE?", and so does a misspelt value ({@code TOKENWARD_OPAQUE=userinfp}). A
 * blank value counts as unset. When several sources are given, init-parameters (or the map) win
 * over system properties, which win over the environment, whatever order they were added in.
 * Every failure is a {@link ConfigurationException} naming the setting as its source spells it.
 * Immutable.
 */
public final class TokenwardConfig {
  private static final Logger log = LoggerFactory.getLogger(TokenwardConfig.class);

  /** Where a value came from, and how that source spells a setting. */
  enum Source {
    PARAMETERS, SYSTEM_PROPERTIES, ENVIRONMENT
  }

  /** One value a source set: typed, with the name it was given under (never the text of a secret). */
  private record Value(Object value, String name) {}

  private final Map<String, Setting<?>> known; // by key: standard and application settings
  private final Map<String, Value> values; // by key, only those a source set (or withDefault supplied)
  private final Source primary; // how to name a setting no source set
  private final String parameterLabel; // "init-param '%s'" or "%s"

  private TokenwardConfig(Map<String, Setting<?>> known, Map<String, Value> values, Source primary,
      String parameterLabel) {
    this.known = known;
    this.values = values;
    this.primary = primary;
    this.parameterLabel = parameterLabel;
  }

  // ------------------------------------------------------------------ reading

  /** Starts reading from several sources, or with an application's own settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** The process's environment variables and system properties ({@code -Dtokenward.audience=...} wins). */
  public static TokenwardConfig load() {
    return builder().environment(System.getenv()).systemProperties(System.getProperties()).build();
  }

  /** Environment variables ({@code TOKENWARD_AUDIENCE}) from {@code env}, normally {@link System#getenv()}. */
  public static TokenwardConfig fromEnvironment(Map<String, String> env) {
    return builder().environment(env).build();
  }

  /** {@code tokenward.}-prefixed properties ({@code tokenward.audience}); others are left alone. */
  public static TokenwardConfig fromProperties(Properties properties) {
    return builder().systemProperties(properties).build();
  }

  /** Plain keys ({@code audience}, {@code jwks-uri}); every key must be a known setting. */
  public static TokenwardConfig fromMap(Map<String, String> map) {
    return builder().map(map).build();
  }

  // ------------------------------------------------------------------ values

  /**
   * The value of a setting: as a source set it, else its default, else {@code null}.
   *
   * @throws IllegalArgumentException if the setting was not declared to this configuration
   */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    requireKnown(setting);
    Value v = values.get(setting.key());
    return v != null ? (T) v.value() : setting.defaultValue();
  }

  /** The value of a setting as a source set it (or {@link #withDefault} supplied), not its default. */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> find(Setting<T> setting) {
    requireKnown(setting);
    Value v = values.get(setting.key());
    return v == null ? Optional.empty() : Optional.of((T) v.value());
  }

  /** True if a source set the setting (or {@link #withDefault} supplied it). */
  public boolean isSet(Setting<?> setting) {
    requireKnown(setting);
    return values.containsKey(setting.key());
  }

  /**
   * The setting as the user spells it, for a message: the name of the source that set it
   * ({@code TOKENWARD_AUDIENCE}, {@code tokenward.audience}, {@code init-param 'audience'}), or for
   * an unset setting the name in the main source read.
   */
  public String nameOf(Setting<?> setting) {
    Value v = values.get(setting.key());
    return v != null && v.name() != null ? v.name() : name(setting, primary);
  }

  /** An error about a setting, named as {@link #nameOf} does: for components that check their own settings. */
  public ConfigurationException error(Setting<?> setting, String problem) {
    return new ConfigurationException(nameOf(setting), setting.key(), problem, null);
  }

  /**
   * A copy in which {@code setting} has {@code value} unless a source set it: for a value only known
   * at run time (the samples' embedded issuer). An error about it names the setting as if unset.
   */
  public <T> TokenwardConfig withDefault(Setting<T> setting, T value) {
    requireKnown(setting);
    Objects.requireNonNull(value, "value");
    if (values.containsKey(setting.key())) {
      return this;
    }
    Map<String, Value> copy = new LinkedHashMap<>(values);
    copy.put(setting.key(), new Value(value, null));
    return new TokenwardConfig(known, copy, primary, parameterLabel);
  }

  /**
   * The filters' step-up policy (RFC 9470) of {@link StandardSettings#STEP_UP_ACR} and
   * {@link StandardSettings#STEP_UP_MAX_AGE_SECONDS}: what the servlet filter's {@code step-up} rule
   * word and {@link RequiresStepUp @RequiresStepUp} without attributes stand for. Empty when neither
   * is set; {@code BearerTokenFilter.builder(config)} and {@code TokenwardFeature.builder(config)}
   * give it to the filter.
   *
   * @throws ConfigurationException naming the setting for an {@code acr} value that is not a single token
   */
  public Optional<StepUp> stepUp() {
    Optional<List<String>> acr = find(StandardSettings.STEP_UP_ACR);
    Optional<java.time.Duration> maxAge = find(StandardSettings.STEP_UP_MAX_AGE_SECONDS);
    if (acr.isEmpty() && maxAge.isEmpty()) {
      return Optional.empty();
    }
    StepUp.Builder b = StepUp.builder();
    try {
      acr.ifPresent(values -> b.acr(values.toArray(new String[0])));
    } catch (IllegalArgumentException e) {
      throw error(StandardSettings.STEP_UP_ACR, String.valueOf(e.getMessage()).replaceFirst("^acr: ", ""));
    }
    maxAge.ifPresent(b::maxAge);
    return Optional.of(b.build());
  }

  // ------------------------------------------------------------------ the validator

  /** The validator these settings describe. */
  public AccessTokenValidator validator() {
    return validator(b -> { });
  }

  /**
   * The validator these settings describe, after {@code customize} has set what has no text form
   * (an HTTP client, a clock, custom claim checks, more issuers).
   *
   * @throws ConfigurationException naming the setting the validator refused
   */
  public AccessTokenValidator validator(Consumer<AccessTokenValidator.Builder> customize) {
    AccessTokenValidator.Builder b = validatorBuilder();
    customize.accept(b);
    try {
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw translate(e);
    }
  }

  /**
   * A builder holding every validator setting set here, after checking how they combine: the typed
   * form of these settings. Its {@code build()} reports problems under the builder's names; prefer
   * {@link #validator(Consumer)}, whose messages name the settings as the user wrote them.
   */
  public AccessTokenValidator.Builder validatorBuilder() {
    checkCombinations();
    AccessTokenValidator.Builder b = AccessTokenValidator.builder();
    for (StandardSettings.ValidatorKey<?> k : StandardSettings.validatorKeys()) {
      apply(b, k);
    }
    String clientId = get(StandardSettings.CLIENT_ID);
    if (clientId != null) {
      try {
        b.introspection(get(StandardSettings.INTROSPECTION_URI), clientId, get(StandardSettings.CLIENT_SECRET));
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw translate(e);
      }
    }
    return b;
  }

  /** Notes for the start-up output: settings that are set but have no effect. */
  public List<String> notes() {
    List<String> notes = new ArrayList<>();
    if (hmacSecretIgnored()) {
      notes.add(nameOf(StandardSettings.HS256_SECRET) + " is set but ignored, because "
          + nameOf(StandardSettings.ALGORITHMS) + " lists no HS256/HS384/HS512");
    }
    return notes;
  }

  private <T> void apply(AccessTokenValidator.Builder b, StandardSettings.ValidatorKey<T> k) {
    Setting<T> s = k.setting();
    if (k.apply() == null || !known.containsKey(s.key())) {
      return;
    }
    T value = get(s);
    if (value == null || (s == StandardSettings.HS256_SECRET && hmacSecretIgnored())) {
      return;
    }
    try {
      k.applyTo(b, value);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ConfigurationException(nameOf(s), s.key(), withoutBuilderName(e.getMessage(), k.builderMethod()), e);
    }
  }

  private boolean hmacSecretIgnored() {
    return isSet(StandardSettings.HS256_SECRET) && !listsHmac();
  }

  private boolean listsHmac() {
    return get(StandardSettings.ALGORITHMS).stream().anyMatch(a -> a.startsWith("HS"));
  }

  /** The checks that need several settings, so that each failure names the one the user must add. */
  private void checkCombinations() {
    Setting<String> issuer = StandardSettings.ISSUER;
    if (!isSet(issuer)) {
      throw error(issuer, "required: the exact 'iss' of the authorization server (Auth0: https://TENANT.auth0.com/, "
          + "trailing slash included)");
    }
    if (!isSet(StandardSettings.AUDIENCE)) {
      throw error(StandardSettings.AUDIENCE, "required when " + nameOf(issuer) + " is set: the API identifier that "
          + "tokens must carry in 'aud' (Auth0: the API's Identifier, e.g. https://api.example.com)");
    }
    if (listsHmac() && !isSet(StandardSettings.HS256_SECRET)) {
      throw error(StandardSettings.HS256_SECRET, "required when " + nameOf(StandardSettings.ALGORITHMS) + " lists "
          + get(StandardSettings.ALGORITHMS).stream().filter(a -> a.startsWith("HS")).findFirst().orElseThrow()
          + " (Auth0: the API's Signing Secret)");
    }
    Setting<String> id = StandardSettings.CLIENT_ID;
    Setting<String> secret = StandardSettings.CLIENT_SECRET;
    if (isSet(id) && !isSet(secret)) {
      throw error(secret, "required when " + nameOf(id) + " is set");
    }
    if (isSet(secret) && !isSet(id)) {
      throw error(id, "required when " + nameOf(secret) + " is set");
    }
    if (!isSet(id) && get(StandardSettings.OPAQUE) == OpaqueTokenPolicy.INTROSPECT) {
      throw error(id, "required when " + nameOf(StandardSettings.OPAQUE) + "=introspect: the API's own client "
          + "credentials for the introspection endpoint (with " + nameOf(secret) + ")");
    }
    if (!isSet(id) && isSet(StandardSettings.INTROSPECTION_URI)) {
      throw error(id, "required when " + nameOf(StandardSettings.INTROSPECTION_URI) + " is set: the API's own "
          + "client credentials for it (with " + nameOf(secret) + ")");
    }
  }

  /** The builder names the setting first ("algorithms: ..."); the user wrote another name. */
  private ConfigurationException translate(RuntimeException e) {
    if (e instanceof ConfigurationException c) {
      return c;
    }
    String message = String.valueOf(e.getMessage());
    int colon = message.indexOf(": ");
    String prefix = colon < 0 ? "" : message.substring(0, colon);
    String problem = colon < 0 ? message : message.substring(colon + 2);
    Setting<?> setting = null;
    for (StandardSettings.ValidatorKey<?> k : StandardSettings.validatorKeys()) {
      if (k.builderMethod().equals(prefix) && setting == null) {
        setting = k.setting();
      }
    }
    if (setting == StandardSettings.INTROSPECTION_URI || prefix.startsWith("endpoint ")) {
      setting = settingWithValue(prefix.startsWith("endpoint ") ? prefix.substring(9) : "");
    }
    if (setting == null) {
      setting = StandardSettings.ISSUER;
      problem = message;
    }
    return new ConfigurationException(nameOf(setting), setting.key(), withBuilderNamesReplaced(problem), e);
  }

  /** The URL setting holding {@code value} (the builder names an endpoint by its URL), else the introspection URI. */
  private Setting<?> settingWithValue(String value) {
    for (Setting<String> s : List.of(StandardSettings.JWKS_URI, StandardSettings.USERINFO_URI,
        StandardSettings.INTROSPECTION_URI, StandardSettings.ISSUER)) {
      if (value.equals(get(s))) {
        return s;
      }
    }
    return StandardSettings.INTROSPECTION_URI;
  }

  private String withBuilderNamesReplaced(String problem) {
    String out = problem.replace("allowHttp(true)", nameOf(StandardSettings.ALLOW_HTTP) + "=true");
    for (StandardSettings.ValidatorKey<?> k : StandardSettings.validatorKeys()) {
      String method = k.builderMethod();
      if (!method.equals(method.toLowerCase(Locale.ROOT)) && k.apply() != null) {
        out = out.replace(method, nameOf(k.setting()));
      }
    }
    return out;
  }

  private String withoutBuilderName(String message, String builderMethod) {
    String m = String.valueOf(message);
    return withBuilderNamesReplaced(m.startsWith(builderMethod + ": ") ? m.substring(builderMethod.length() + 2) : m);
  }

  private void requireKnown(Setting<?> setting) {
    if (known.get(setting.key()) == null) {
      throw new IllegalArgumentException("setting " + setting.key() + " was not declared to this configuration; "
          + "pass it to TokenwardConfig.Builder.settings(...)");
    }
  }

  /** The values, with secrets masked: safe to log. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("TokenwardConfig{");
    String sep = "";
    for (Map.Entry<String, Value> e : values.entrySet()) {
      Setting<?> s = known.get(e.getKey());
      b.append(sep).append(e.getKey()).append('=').append(s.isSecret() ? "(secret)" : e.getValue().value());
      sep = ", ";
    }
    return b.append('}').toString();
  }

  private String name(Setting<?> s, Source source) {
    return switch (source) {
      case ENVIRONMENT -> s.environmentVariable();
      case SYSTEM_PROPERTIES -> s.systemProperty();
      case PARAMETERS -> String.format(Locale.ROOT, parameterLabel, s.initParameter());
    };
  }

  // ------------------------------------------------------------------ builder

  /**
   * Reads several sources at once, or an application's own settings besides tokenward's. Sources
   * rank by kind, not by call order: parameters (a map or init-parameters), then system
   * properties, then environment variables.
   */
  public static final class Builder {
    private final Map<String, Setting<?>> known = new LinkedHashMap<>();
    private Map<String, String> environment;
    private Map<String, String> properties;
    private Map<String, String> parameters;
    private String parameterLabel = "%s";

    private Builder() {
      StandardSettings.all().forEach(this::add);
    }

    /** Environment variables: {@code TOKENWARD_}-prefixed names, and an application's unprefixed settings. */
    public Builder environment(Map<String, String> env) {
      this.environment = new TreeMap<>(Objects.requireNonNull(env, "env"));
      return this;
    }

    /** System properties, or a {@code Properties} file: {@code tokenward.}-prefixed names; others are left alone. */
    public Builder systemProperties(Properties props) {
      Map<String, String> copy = new TreeMap<>();
      for (String name : Objects.requireNonNull(props, "props").stringPropertyNames()) {
        copy.put(name, props.getProperty(name));
      }
      this.properties = copy;
      return this;
    }

    /** Plain keys ({@code audience}); every key must be a known setting. */
    public Builder map(Map<String, String> map) {
      return parameters(map, "%s");
    }

    /** A servlet filter's init-parameters: plain keys, named {@code init-param 'audience'} in messages. */
    public Builder initParameters(Map<String, String> params) {
      return parameters(params, "init-param '%s'");
    }

    private Builder parameters(Map<String, String> map, String label) {
      if (parameters != null) {
        throw new IllegalStateException("parameters: already given; pass one map (or one set of init-parameters)");
      }
      this.parameters = new TreeMap<>(Objects.requireNonNull(map, "map"));
      this.parameterLabel = label;
      return this;
    }

    /** An application's own settings, read, checked and named like tokenward's (and their misspellings caught). */
    public Builder settings(Setting<?>... settings) {
      return settings(List.of(settings));
    }

    /** An application's own settings. */
    public Builder settings(Collection<? extends Setting<?>> settings) {
      settings.forEach(this::add);
      return this;
    }

    private void add(Setting<?> s) {
      Setting<?> before = known.putIfAbsent(s.key(), s);
      if (before != null && before != s) {
        throw new IllegalArgumentException("setting " + s.key() + ": already declared (tokenward's own, or twice)");
      }
    }

    /**
     * Reads and checks every source.
     *
     * @throws ConfigurationException for the first unknown key or unusable value, in name order
     */
    public TokenwardConfig build() {
      Map<String, Value> values = new LinkedHashMap<>();
      Source primary = parameters != null && !parameters.isEmpty() ? Source.PARAMETERS
          : properties != null && properties.keySet().stream().anyMatch(TokenwardConfig::propertyPrefixed)
              ? Source.SYSTEM_PROPERTIES : Source.ENVIRONMENT;
      TokenwardConfig naming = new TokenwardConfig(known, values, primary, parameterLabel);
      // lowest rank first, so that higher ranks overwrite
      if (environment != null) {
        read(naming, values, environment, Source.ENVIRONMENT);
      }
      if (properties != null) {
        read(naming, values, properties, Source.SYSTEM_PROPERTIES);
      }
      if (parameters != null) {
        read(naming, values, parameters, Source.PARAMETERS);
      }
      Map<String, Value> ordered = new LinkedHashMap<>();
      for (String key : known.keySet()) { // table order, for toString
        if (values.containsKey(key)) {
          ordered.put(key, values.get(key));
        }
      }
      TokenwardConfig config = new TokenwardConfig(Map.copyOf(known), ordered, primary, parameterLabel);
      if (log.isDebugEnabled()) {
        log.debug("tokenward settings: {}", config);
      }
      return config;
    }

    private void read(TokenwardConfig naming, Map<String, Value> values, Map<String, String> source, Source kind) {
      for (Map.Entry<String, String> e : source.entrySet()) {
        String name = e.getKey();
        Setting<?> setting = settingNamed(name, kind);
        if (setting == null) {
          if (ours(name, kind)) {
            throw unknown(naming, name, kind);
          }
          continue;
        }
        String text = e.getValue();
        if (text == null || text.isBlank()) {
          continue; // blank counts as unset
        }
        String shownName = naming.name(setting, kind);
        Object value;
        try {
          value = setting.parse(text.strip());
        } catch (IllegalArgumentException ex) {
          throw new ConfigurationException(shownName, setting.key(), ex.getMessage(), null);
        }
        values.put(setting.key(), new Value(value, shownName));
      }
    }

    /** The known setting a source's name spells exactly, or null. */
    private Setting<?> settingNamed(String name, Source kind) {
      String key = switch (kind) {
        case ENVIRONMENT -> name.startsWith(Setting.ENVIRONMENT_PREFIX) ? Setting.keyOfEnvironment(name, true)
            : Setting.keyOfEnvironment(name, false);
        case SYSTEM_PROPERTIES -> name.startsWith(Setting.PROPERTY_PREFIX) ? name.substring(Setting.PROPERTY_PREFIX.length())
            : name;
        case PARAMETERS -> name;
      };
      Setting<?> s = known.get(key);
      if (s == null) {
        return null;
      }
      String exact = switch (kind) {
        case ENVIRONMENT -> s.environmentVariable();
        case SYSTEM_PROPERTIES -> s.systemProperty();
        case PARAMETERS -> s.initParameter();
      };
      return exact.equals(name) ? s : null;
    }

    /** True if the name is in tokenward's namespace of that source, so an unknown one is a mistake. */
    private static boolean ours(String name, Source kind) {
      return switch (kind) {
        case ENVIRONMENT -> name.regionMatches(true, 0, Setting.ENVIRONMENT_PREFIX, 0, Setting.ENVIRONMENT_PREFIX.length());
        case SYSTEM_PROPERTIES -> propertyPrefixed(name);
        case PARAMETERS -> true;
      };
    }

    private ConfigurationException unknown(TokenwardConfig naming, String name, Source kind) {
      String key = switch (kind) {
        case ENVIRONMENT -> Setting.keyOfEnvironment(name.substring(Setting.ENVIRONMENT_PREFIX.length()), false);
        case SYSTEM_PROPERTIES -> name.substring(Setting.PROPERTY_PREFIX.length()).toLowerCase(Locale.ROOT);
        case PARAMETERS -> name.toLowerCase(Locale.ROOT).replace('_', '-');
      };
      String shownName = kind == Source.PARAMETERS ? String.format(Locale.ROOT, parameterLabel, name) : name;
      Setting<?> former = StandardSettings.FORMER_KEYS.get(key);
      if (former != null) {
        return new ConfigurationException(shownName, key, "renamed; use " + naming.name(former, kind), null);
      }
      Setting<?> exact = known.get(key);
      if (exact != null) { // right words, wrong case or separator
        return new ConfigurationException(shownName, key, "unknown setting; did you mean " + naming.name(exact, kind)
            + "?", null);
      }
      String near = DidYouMean.closest(key, known.keySet());
      String hint = near != null ? "did you mean " + naming.name(known.get(near), kind) + "?"
          : "known: " + String.join(", ", known.values().stream().filter(s -> s.isPrefixed() || kind == Source.PARAMETERS)
              .map(s -> naming.name(s, kind)).toList());
      return new ConfigurationException(shownName, key, "unknown setting; " + hint, null);
    }
  }

  private static boolean propertyPrefixed(String name) {
    return name.regionMatches(true, 0, Setting.PROPERTY_PREFIX, 0, Setting.PROPERTY_PREFIX.length());
  }
}
