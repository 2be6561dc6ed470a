package dev.tokenward.core;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the servlet filter and the JAX-RS feature do with RFC 9728 metadata, in one place: which
 * request paths serve the document, its JSON for a request, its headers, and the
 * {@code resource_metadata} URL every challenge carries.
 *
 * <p>With a configured resource identifier the document is served at
 * {@value ProtectedResourceMetadata#WELL_KNOWN_PATH} and, when the identifier has a path, at the
 * path-suffixed URL of RFC 9728 section 3.1, which the challenges then name. Without one, the
 * identifier is the origin the request arrived on ({@code scheme://host[:port]}), so the document
 * always matches the URL used to reach it (section 3.3) but trusts the request's {@code Host}:
 * configure the identifier in production. The scopes the filter's rules and annotations name are
 * asked for once, at the first document served, and added to {@code scopes_supported}.
 */
public final class ResourceMetadataEndpoint {
  /** {@code Cache-Control} of the document: short, so a changed configuration shows soon. */
  public static final String CACHE_CONTROL = "public, max-age=300";

  private final ProtectedResourceMetadata template;
  private final Set<String> paths;
  private final String configuredUrl; // null when the resource is taken from the request
  private volatile ProtectedResourceMetadata withScopes; // the template plus the collected scopes, once known

  /** Serves {@code template}; its {@code resource}, if set, is the identifier. */
  public ResourceMetadataEndpoint(ProtectedResourceMetadata template) {
    this.template = Objects.requireNonNull(template, "template");
    Set<String> served = new HashSet<>();
    served.add(ProtectedResourceMetadata.WELL_KNOWN_PATH);
    template.resource().ifPresent(r -> served.add(ProtectedResourceMetadata.wellKnownPath(r)));
    this.paths = Set.copyOf(served);
    this.configuredUrl = template.resource().map(ProtectedResourceMetadata::metadataUrl).orElse(null);
  }

  /** The document template (before the collected scopes are added). */
  public ProtectedResourceMetadata template() {
    return template;
  }

  /** True if a {@code GET} of this request path (raw, without query) is answered with the document. */
  public boolean serves(String path) {
    return path != null && paths.contains(path);
  }

  /**
   * The document for a request that arrived on {@code origin} ({@code scheme://host[:port]}, see
   * {@link #origin}); the origin is used only when no resource identifier is configured.
   * {@code collectedScopes} (the scopes named by the filter's rules and annotations) is asked for
   * once, at the first document served, and added to {@code scopes_supported}.
   *
   * @throws IllegalArgumentException when the identifier must be taken from an origin that is not a valid URL
   */
  public String document(String origin, Supplier<? extends Collection<String>> collectedScopes) {
    ProtectedResourceMetadata m = withScopes(collectedScopes);
    return (m.resource().isPresent() ? m : m.withResource(origin)).toJson();
  }

  /** The headers of the document's 200 answer: JSON, readable from any origin (CORS), cacheable briefly. */
  public Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json");
    h.put("Access-Control-Allow-Origin", "*");
    h.put("Cache-Control", CACHE_CONTROL);
    return h;
  }

  /**
   * The {@code resource_metadata} URL for a challenge to a request that arrived on {@code origin}:
   * the configured identifier's metadata URL, else the origin's; null if the origin is not a
   * valid URL (the parameter is then left out).
   */
  public String metadataUrl(String origin) {
    if (configuredUrl != null) {
      return configuredUrl;
    }
    try {
      return ProtectedResourceMetadata.metadataUrl(origin);
    } catch (IllegalArgumentException | NullPointerException e) {
      return null;
    }
  }

  /** {@code scheme://host[:port]}, the port left out when it is the scheme's default; an IPv6 host in brackets. */
  public static String origin(String scheme, String host, int port) {
    String h = host != null && host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    boolean defaultPort = port <= 0 || ("http".equalsIgnoreCase(scheme) && port == 80)
        || ("https".equalsIgnoreCase(scheme) && port == 443);
    return scheme + "://" + h + (defaultPort ? "" : ":" + port);
  }

  private ProtectedResourceMetadata withScopes(Supplier<? extends Collection<String>> collectedScopes) {
    ProtectedResourceMetadata m = withScopes;
    if (m == null) {
      m = template.toBuilder().scopesSupported(List.copyOf(collectedScopes.get())).build();
      withScopes = m;
    }
    return m;
  }
}
