package dev.tokenward.servlet;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.ConfigurationException;
import dev.tokenward.core.ProtectedResourceMetadata;
import dev.tokenward.core.Setting;
import dev.tokenward.core.StandardSettings;
import dev.tokenward.core.TokenwardConfig;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Configures a {@link BearerTokenFilter} from core's settings model ({@link TokenwardConfig}): its
 * init-parameters ({@code web.xml}, {@code FilterConfig}), system properties and environment
 * variables, ranked in that order, so that a filter needs no init-parameter at all when
 * {@code TOKENWARD_ISSUER} and {@code TOKENWARD_AUDIENCE} are set. Path rules are the
 * {@code rule.PATTERN} init-parameters, or the {@link StandardSettings#RULES} setting.
 */
final class InitParams {
  static final String RULE_PREFIX = "rule.";
  private static final Setting<List<String>> RULES = StandardSettings.RULES;

  private InitParams() {}

  static boolean present(FilterConfig config) {
    return config.getInitParameterNames().hasMoreElements();
  }

  /** The filter configured by these sources; a ServletException naming the setting if one is wrong. */
  static BearerTokenFilter.Builder read(FilterConfig filterConfig, Map<String, String> env, Properties systemProperties)
      throws ServletException {
    Map<String, String> params = new TreeMap<>();
    Map<String, String> rules = new TreeMap<>();
    for (String name : Collections.list(filterConfig.getInitParameterNames())) {
      (name.startsWith(RULE_PREFIX) ? rules : params).put(name, filterConfig.getInitParameter(name));
    }
    try {
      TokenwardConfig config = TokenwardConfig.builder().initParameters(params).environment(env)
          .systemProperties(systemProperties).build();
      BearerTokenFilter.Builder b = builder(config);
      for (Map.Entry<String, String> e : rules.entrySet()) {
        String name = "init-param '" + e.getKey() + "'";
        rule(b, name, e.getKey().substring(RULE_PREFIX.length()), e.getValue(), true);
      }
      return b;
    } catch (ConfigurationException e) {
      throw new ServletException("tokenward " + e.getMessage(), e);
    }
  }

  /** The validator, challenge realm, token locations and path rules of a configuration. */
  static BearerTokenFilter.Builder builder(TokenwardConfig config) {
    AccessTokenValidator validator = config.validator();
    BearerTokenFilter.Builder b = BearerTokenFilter.builder(validator)
        .realm(config.get(StandardSettings.REALM))
        .allowQueryToken(config.get(StandardSettings.ALLOW_QUERY_TOKEN))
        .allowFormToken(config.get(StandardSettings.ALLOW_FORM_TOKEN));
    if (config.isSet(StandardSettings.RESOURCE) || config.isSet(StandardSettings.RESOURCE_NAME)
        || config.isSet(StandardSettings.RESOURCE_DOCUMENTATION) || config.isSet(StandardSettings.RESOURCE_POLICY_URI)) {
      // RFC 9728: publishing the metadata is switched on by naming the resource (or describing it)
      b.resourceMetadata(ProtectedResourceMetadata.builder(validator, config).build());
    }
    config.stepUp().ifPresent(b::stepUp); // what 'step-up' rules and @RequiresStepUp without attributes stand for
    if (config.isSet(RULES)) {
      for (String entry : config.get(RULES)) {
        int eq = entry.indexOf('=');
        if (eq <= 0) {
          throw config.error(RULES, "'" + entry + "' is not PATTERN=RULE, e.g. /api/*=authenticated");
        }
        rule(b, config.nameOf(RULES), entry.substring(0, eq).strip(), entry.substring(eq + 1), false);
      }
    }
    return b;
  }

  /** Adds a rule; a message names the setting, and the rule itself unless the setting's name already does. */
  private static void rule(BearerTokenFilter.Builder b, String name, String pattern, String rule, boolean named) {
    try {
      b.rule(named ? PathRule.parseText(pattern, rule) : PathRule.parse(pattern, rule));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(name, RULES.key(), e.getMessage(), e);
    }
  }
}
