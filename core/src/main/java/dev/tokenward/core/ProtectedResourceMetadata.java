package dev.tokenward.core;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The OAuth 2.0 Protected Resource Metadata document (RFC 9728) of this resource server: where a
 * client finds which authorization servers issue tokens for it, which scopes it knows and how to
 * present a token. The servlet filter and the JAX-RS feature serve it at
 * {@value #WELL_KNOWN_PATH}; an application that serves it itself calls {@link #toJson()}.
 *
 * <pre>{@code
 * ProtectedResourceMetadata metadata = ProtectedResourceMetadata.builder(validator) // authorization_servers
 *     .resource("https://api.example.com")                                         // RFC 8707 identifier
 *     .scopesSupported("read:messages", "admin:all")
 *     .resourceName("Example API")
 *     .build();
 * String json = metadata.toJson();
 * String url = metadata.metadataUrl(); // https://api.example.com/.well-known/oauth-protected-resource
 * }</pre>
 *
 * <p>The {@code resource} may be left unset when it is to be taken, per request, from the URL the
 * document was reached on ({@link #withResource}): the document then always matches the URL a
 * client used (RFC 9728 section 3.3), but only as far as that URL can be trusted; see
 * docs/security.md. Immutable and thread-safe.
 */
public final class ProtectedResourceMetadata {
  /** The well-known path (RFC 9728 section 3); a resource identifier's path is appended to it (section 3.1). */
  public static final String WELL_KNOWN_PATH = "/.well-known/oauth-protected-resource";
  /**
   * OpenID Connect scopes that concern the user's identity at the authorization server, not this
   * resource: left out of {@code scopes_supported} unless asked for by {@link Builder#showScopes}.
   */
  public static final Set<String> OPENID_SCOPES = Set.of("openid", "profile", "email", "address", "phone", "offline_access");

  private final String resource; // null: taken from the request
  private final List<String> authorizationServers;
  private final List<String> scopesSupported;
  private final List<String> bearerMethodsSupported;
  private final String resourceName;
  private final String resourceDocumentation;
  private final String resourcePolicyUri;
  private final List<String> dpopSigningAlgValuesSupported; // empty: DPoP not offered
  private final boolean dpopBoundAccessTokensRequired;
  private final Builder from; // for toBuilder()

  private ProtectedResourceMetadata(Builder b) {
    this.resource = b.resource;
    this.authorizationServers = List.copyOf(b.authorizationServers);
    Set<String> scopes = new LinkedHashSet<>(b.scopes);
    scopes.removeAll(b.hidden);
    scopes.removeIf(s -> OPENID_SCOPES.contains(s) && !b.shown.contains(s));
    this.scopesSupported = List.copyOf(scopes);
    this.bearerMethodsSupported = List.copyOf(b.bearerMethods);
    this.resourceName = b.resourceName;
    this.resourceDocumentation = b.resourceDocumentation;
    this.resourcePolicyUri = b.resourcePolicyUri;
    this.dpopSigningAlgValuesSupported = List.copyOf(b.dpopAlgorithms);
    this.dpopBoundAccessTokensRequired = b.dpopRequired;
    this.from = b.copy();
  }

  /** Starts a document; {@link Builder#authorizationServers} must be given. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a document whose {@code authorization_servers} are the validator's trusted issuers,
   * exactly as tokens carry them in {@code iss}.
   */
  public static Builder builder(AccessTokenValidator validator) {
    Builder b = new Builder();
    for (TrustedIssuer issuer : Objects.requireNonNull(validator, "validator").issuers()) {
      b.authorizationServers(issuer.issuer());
    }
    // DPoP members are not filled here: the validator can check DPoP proofs, but only a filter that
    // passes DPoP requests to it may advertise them; such a filter calls Builder.dpopFrom(validator).
    return b;
  }

  /**
   * As {@link #builder(AccessTokenValidator)}, with {@code resource}, {@code resource_name},
   * {@code resource_documentation} and {@code resource_policy_uri} from the configuration
   * ({@code TOKENWARD_RESOURCE}, {@code TOKENWARD_RESOURCE_NAME}, ... see {@link StandardSettings#RESOURCE}).
   *
   * @throws ConfigurationException naming the key of a value the document refuses (such as an http resource)
   */
  public static Builder builder(AccessTokenValidator validator, TokenwardConfig config) {
    Builder b = builder(validator);
    Objects.requireNonNull(config, "config");
    apply(config, StandardSettings.RESOURCE, b::resource);
    apply(config, StandardSettings.RESOURCE_NAME, b::resourceName);
    apply(config, StandardSettings.RESOURCE_DOCUMENTATION, b::resourceDocumentation);
    apply(config, StandardSettings.RESOURCE_POLICY_URI, b::resourcePolicyUri);
    return b;
  }

  private static void apply(TokenwardConfig config, Setting<String> setting, java.util.function.Consumer<String> to) {
    Optional<String> value = config.find(setting);
    if (value.isPresent()) {
      try {
        to.accept(value.get());
      } catch (IllegalArgumentException e) {
        String message = String.valueOf(e.getMessage());
        int colon = message.indexOf(": ");
        throw config.error(setting, colon > 0 ? message.substring(colon + 2) : message);
      }
    }
  }

  /** A builder holding everything this document holds, to change a setting. */
  public Builder toBuilder() {
    return from.copy();
  }

  /**
   * The same document for the resource identifier {@code resource}, typically the URL a request
   * arrived on ({@code scheme://host[:port]}). Unlike {@link Builder#resource}, plain {@code http} is
   * accepted: it is what the client used.
   *
   * @throws IllegalArgumentException for a value that is not an absolute http(s) URL without query and fragment
   */
  public ProtectedResourceMetadata withResource(String resource) {
    parse(resource);
    Builder b = from.copy();
    b.resource = resource;
    return b.build();
  }

  /** {@code resource}: the resource identifier, or empty when it is taken from each request. */
  public Optional<String> resource() {
    return Optional.ofNullable(resource);
  }

  /** {@code authorization_servers}: the issuer identifiers of the authorization servers trusted. */
  public List<String> authorizationServers() {
    return authorizationServers;
  }

  /** {@code scopes_supported}, after hiding; empty leaves the member out. */
  public List<String> scopesSupported() {
    return scopesSupported;
  }

  /** {@code bearer_methods_supported}: {@code header}, and {@code body}/{@code query} where enabled. */
  public List<String> bearerMethodsSupported() {
    return bearerMethodsSupported;
  }

  /** {@code dpop_signing_alg_values_supported}; empty when DPoP is not offered. */
  public List<String> dpopSigningAlgValuesSupported() {
    return dpopSigningAlgValuesSupported;
  }

  /** {@code dpop_bound_access_tokens_required}. */
  public boolean dpopBoundAccessTokensRequired() {
    return dpopBoundAccessTokensRequired;
  }

  /**
   * The document as JSON, members in the order of RFC 9728 section 2.
   *
   * @throws IllegalStateException when no resource identifier is set; see {@link #withResource}
   */
  public String toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("resource", requireResource());
    json.put("authorization_servers", authorizationServers);
    if (!scopesSupported.isEmpty()) {
      json.put("scopes_supported", scopesSupported);
    }
    json.put("bearer_methods_supported", bearerMethodsSupported);
    if (resourceName != null) {
      json.put("resource_name", resourceName);
    }
    if (resourceDocumentation != null) {
      json.put("resource_documentation", resourceDocumentation);
    }
    if (resourcePolicyUri != null) {
      json.put("resource_policy_uri", resourcePolicyUri);
    }
    if (!dpopSigningAlgValuesSupported.isEmpty()) {
      json.put("dpop_signing_alg_values_supported", dpopSigningAlgValuesSupported);
      json.put("dpop_bound_access_tokens_required", dpopBoundAccessTokensRequired);
    }
    return JSONObjectUtils.toJSONString(json);
  }

  /**
   * Where this document is published, the value of {@code resource_metadata} in challenges.
   *
   * @throws IllegalStateException when no resource identifier is set
   */
  public String metadataUrl() {
    return metadataUrl(requireResource());
  }

  /**
   * The metadata URL of a resource identifier, built as RFC 9728 section 3.1 says: the well-known
   * path goes between the host and the path, after removing a slash that ends the identifier
   * right after the host. {@code https://api.example.com} and {@code https://api.example.com/}
   * give {@code https://api.example.com/.well-known/oauth-protected-resource};
   * {@code https://api.example.com/mcp} gives {@code https://api.example.com/.well-known/oauth-protected-resource/mcp}.
   *
   * @throws IllegalArgumentException for a value that is not an absolute http(s) URL
   */
  public static String metadataUrl(String resource) {
    URI uri = parse(resource);
    return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority() + wellKnownPath(resource);
  }

  /**
   * The request path of the metadata URL of {@code resource}: {@value #WELL_KNOWN_PATH} followed by the
   * identifier's path ({@code /mcp}), if it has one beyond {@code /}.
   */
  public static String wellKnownPath(String resource) {
    String path = parse(resource).getRawPath();
    return WELL_KNOWN_PATH + (path == null || path.equals("/") ? "" : path);
  }

  private String requireResource() {
    if (resource == null) {
      throw new IllegalStateException("resource: not set; give the resource identifier, or take it from the request "
          + "with withResource(...)");
    }
    return resource;
  }

  private static URI parse(String resource) {
    Objects.requireNonNull(resource, "resource");
    URI uri;
    try {
      uri = new URI(resource);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("resource: not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http")) || uri.getRawAuthority() == null || uri.getHost() == null) {
      throw new IllegalArgumentException("resource: must be an absolute https URL (RFC 8707), got '" + resource + "'");
    }
    if (uri.getRawFragment() != null || uri.getRawQuery() != null) {
      throw new IllegalArgumentException("resource: must have no fragment and no query (RFC 9728 section 2), got '"
          + resource + "'");
    }
    return uri;
  }

  @Override
  public String toString() {
    return "ProtectedResourceMetadata{resource=" + (resource == null ? "(from the request)" : resource)
        + ", authorization_servers=" + authorizationServers + ", scopes_supported=" + scopesSupported + "}";
  }

  /** Configures a {@link ProtectedResourceMetadata}; each setting fails fast naming itself. */
  public static final class Builder {
    private String resource;
    private final List<String> authorizationServers = new ArrayList<>();
    private final Set<String> scopes = new LinkedHashSet<>();
    private final Set<String> hidden = new LinkedHashSet<>();
    private final Set<String> shown = new LinkedHashSet<>();
    private final Set<String> bearerMethods = new LinkedHashSet<>(List.of("header"));
    private String resourceName;
    private String resourceDocumentation;
    private String resourcePolicyUri;
    private final List<String> dpopAlgorithms = new ArrayList<>();
    private boolean dpopRequired;

    private Builder() {}

    /**
     * {@code resource}: the resource identifier (RFC 8707), an absolute https URL without query or
     * fragment; {@code http} only for a loopback host. Unset: taken from each request.
     */
    public Builder resource(String resource) {
      URI uri = parse(resource);
      if (uri.getScheme().equalsIgnoreCase("http") && !TrustedIssuer.isLoopback(uri.getHost())) {
        throw new IllegalArgumentException("resource: must use https (RFC 9728 section 2); http is only allowed for "
            + "a loopback host, got '" + resource + "'");
      }
      this.resource = resource;
      return this;
    }

    /** Adds {@code authorization_servers}: issuer identifiers (RFC 8414), exactly as in {@code iss}. */
    public Builder authorizationServers(String... issuers) {
      for (String issuer : Objects.requireNonNull(issuers, "authorizationServers")) {
        if (issuer == null || issuer.isBlank()) {
          throw new IllegalArgumentException("authorizationServers: an issuer must not be empty");
        }
        if (!authorizationServers.contains(issuer)) {
          authorizationServers.add(issuer);
        }
      }
      return this;
    }

    /** Adds values to {@code scopes_supported} (the filters add those their rules and annotations name). */
    public Builder scopesSupported(String... scopes) {
      return scopesSupported(List.of(Objects.requireNonNull(scopes, "scopesSupported")));
    }

    /** Adds values to {@code scopes_supported}. */
    public Builder scopesSupported(Collection<String> scopes) {
      for (String s : Objects.requireNonNull(scopes, "scopesSupported")) {
        this.scopes.add(scope("scopesSupported", s));
      }
      return this;
    }

    /** Leaves these out of {@code scopes_supported}, even where a rule or annotation names them (internal ones, say). */
    public Builder hideScopes(String... scopes) {
      for (String s : Objects.requireNonNull(scopes, "hideScopes")) {
        hidden.add(scope("hideScopes", s));
      }
      return this;
    }

    /** Lists these OpenID Connect scopes ({@link #OPENID_SCOPES}) after all, where they are named. */
    public Builder showScopes(String... scopes) {
      for (String s : Objects.requireNonNull(scopes, "showScopes")) {
        shown.add(scope("showScopes", s));
      }
      return this;
    }

    /** Adds to {@code bearer_methods_supported} ({@code header} is always there): {@code body} or {@code query}. */
    public Builder bearerMethod(String method) {
      Objects.requireNonNull(method, "bearerMethod");
      if (!method.equals("header") && !method.equals("body") && !method.equals("query")) {
        throw new IllegalArgumentException("bearerMethod: must be header, body or query, got '" + method + "'");
      }
      bearerMethods.add(method);
      return this;
    }

    /** {@code resource_name}: a human-readable name for the resource. */
    public Builder resourceName(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("resourceName: must not be empty");
      }
      this.resourceName = name;
      return this;
    }

    /** {@code resource_documentation}: a URL of human-readable documentation for developers. */
    public Builder resourceDocumentation(String url) {
      this.resourceDocumentation = url("resourceDocumentation", url);
      return this;
    }

    /** {@code resource_policy_uri}: a URL of the resource's policy on how clients may use data. */
    public Builder resourcePolicyUri(String url) {
      this.resourcePolicyUri = url("resourcePolicyUri", url);
      return this;
    }

    /**
     * DPoP (RFC 9449) members: the proof algorithms accepted ({@code dpop_signing_alg_values_supported};
     * empty leaves both members out) and whether every token must be DPoP-bound.
     */
    public Builder dpop(Collection<String> algorithms, boolean boundTokensRequired) {
      dpopAlgorithms.clear();
      dpopAlgorithms.addAll(Objects.requireNonNull(algorithms, "dpop"));
      this.dpopRequired = boundTokensRequired;
      return this;
    }

    /**
     * The DPoP members from the validator's settings: {@code dpop_signing_alg_values_supported} its
     * proof algorithms, and {@code dpop_bound_access_tokens_required} true only when every trusted
     * issuer's policy is {@code REQUIRED}; both left out when every issuer's policy is {@code OFF}.
     * For a filter that accepts DPoP requests (RFC 9449); the contract of the samples asks for it
     * unless DPoP is off.
     */
    public Builder dpopFrom(AccessTokenValidator validator) {
      Objects.requireNonNull(validator, "validator");
      boolean offered = false;
      boolean required = true;
      for (TrustedIssuer issuer : validator.issuers()) {
        offered |= issuer.dpopPolicy() != DpopPolicy.OFF;
        required &= issuer.dpopPolicy() == DpopPolicy.REQUIRED;
      }
      return offered ? dpop(validator.dpopAlgorithms(), required) : dpop(List.of(), false);
    }

    /** Checks the document: at least one authorization server. */
    public ProtectedResourceMetadata build() {
      if (authorizationServers.isEmpty()) {
        throw new IllegalStateException("authorizationServers: at least one is required");
      }
      return new ProtectedResourceMetadata(this);
    }

    private Builder copy() {
      Builder b = new Builder();
      b.resource = resource;
      b.authorizationServers.addAll(authorizationServers);
      b.scopes.addAll(scopes);
      b.hidden.addAll(hidden);
      b.shown.addAll(shown);
      b.bearerMethods.addAll(bearerMethods);
      b.resourceName = resourceName;
      b.resourceDocumentation = resourceDocumentation;
      b.resourcePolicyUri = resourcePolicyUri;
      b.dpopAlgorithms.addAll(dpopAlgorithms);
      b.dpopRequired = dpopRequired;
      return b;
    }

    private static String scope(String setting, String s) {
      if (s == null || s.isEmpty()) {
        throw new IllegalArgumentException(setting + ": a scope must not be empty");
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x21 || c == 0x22 || c == 0x5c || c > 0x7e) {
          throw new IllegalArgumentException(setting + ": '" + s + "' is not a single scope value");
        }
      }
      return s;
    }

    private static String url(String setting, String value) {
      Objects.requireNonNull(value, setting);
      try {
        URI uri = new URI(value);
        if (uri.isAbsolute() && uri.getHost() != null
            && (uri.getScheme().equalsIgnoreCase("https") || uri.getScheme().equalsIgnoreCase("http"))) {
          return value;
        }
      } catch (URISyntaxException e) {
        // reported below
      }
      throw new IllegalArgumentException(setting + ": must be an absolute http(s) URL, got '" + value + "'");
    }
  }
}
