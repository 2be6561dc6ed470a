package dev.tokenward.core;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds an issuer's endpoints: OpenID Connect discovery at {@code ISSUER/.well-known/openid-configuration},
 * and, if that is absent, RFC 8414 metadata at {@code /.well-known/oauth-authorization-server}.
 *
 * <p>The document must name the configured issuer. One that differs only by a trailing slash is
 * adopted (logged once), because that is the classic Auth0 misconfiguration; tokens are still
 * compared with the adopted value exactly. Endpoints explicitly configured win over discovered ones.
 */
final class Discovery {
  private static final Logger log = LoggerFactory.getLogger(Discovery.class);
  static final int MAX_DOCUMENT_BYTES = 64 * 1024;

  /** What the issuer publishes; any endpoint may be null. */
  record Metadata(String issuer, HttpUrl jwksUri, HttpUrl userinfoUri, HttpUrl introspectionUri) {}

  private final TrustedIssuer config;
  private final IssuerHttp http;
  private final Refresher<Metadata> refresher;

  Discovery(TrustedIssuer config, IssuerHttp http, Executor executor, Clock clock, Duration failureBackoff) {
    this.config = config;
    this.http = http;
    Metadata configured = configuredOnly(config);
    this.refresher = new Refresher<>("discovery for " + config.issuer, needsDiscovery(config) ? null : configured,
        previous -> fetch(), executor, clock, Duration.ofDays(36500), failureBackoff);
  }

  /** The metadata if known, else null; never blocks. */
  Metadata current() {
    return refresher.value();
  }

  /** The metadata, fetching it (coalesced, at most once per backoff) if not known yet. */
  Metadata await(Duration timeout) throws TokenValidationException {
    Metadata m = refresher.value();
    if (m != null) {
      return m;
    }
    CompletableFuture<Metadata> f = refresher.refresh(false);
    if (f != null) {
      Refresher.await(f, timeout);
    }
    m = refresher.value();
    if (m == null) {
      Throwable cause = refresher.lastError();
      throw TokenValidationException.unavailable("the issuer's discovery document cannot be used: "
          + (cause == null ? "no answer from " + discoveryUrl() + " in time" : Refresher.describe(cause))
          + "; retry later", refresher.retryAfter(), null);
    }
    return m;
  }

  /** The issuer string tokens must carry: the configured one, or the discovered one if it differs only by a slash. */
  String effectiveIssuer() {
    Metadata m = refresher.value();
    return m == null || m.issuer() == null ? config.issuer : m.issuer();
  }

  boolean discovered() {
    return refresher.value() != null;
  }

  private static boolean needsDiscovery(TrustedIssuer c) {
    if (c.staticKeysOnly()) {
      return c.opaqueTokens == OpaqueTokenPolicy.USERINFO && c.userinfoUri == null
          || c.opaqueTokens == OpaqueTokenPolicy.INTROSPECT && c.introspectionUri == null;
    }
    return c.jwksUri == null
        || (c.opaqueTokens == OpaqueTokenPolicy.USERINFO && c.userinfoUri == null)
        || (c.clientId != null && c.introspectionUri == null);
  }

  private static Metadata configuredOnly(TrustedIssuer c) {
    return new Metadata(null, url(c.jwksUri), url(c.userinfoUri), url(c.introspectionUri));
  }

  private static HttpUrl url(java.net.URI uri) {
    return uri == null ? null : HttpUrl.get(uri);
  }

  private HttpUrl discoveryUrl() {
    return HttpUrl.get(stripSlash(config.issuer) + "/.well-known/openid-configuration");
  }

  private Metadata fetch() throws IOException, TokenValidationException {
    HttpUrl url = discoveryUrl();
    IssuerHttp.Answer answer = http.getDocument(url, MAX_DOCUMENT_BYTES);
    if (answer.code() == 404) {
      HttpUrl issuerUrl = HttpUrl.get(stripSlash(config.issuer));
      String path = issuerUrl.encodedPath().equals("/") ? "" : issuerUrl.encodedPath();
      url = issuerUrl.newBuilder().encodedPath("/.well-known/oauth-authorization-server" + path).build();
      answer = http.getDocument(url, MAX_DOCUMENT_BYTES);
    }
    if (!answer.ok()) {
      throw new IssuerHttp.FetchFailure(url + " answered HTTP " + answer.code());
    }
    Map<String, Object> doc;
    try {
      doc = Json.parseObject(answer.body(), MAX_DOCUMENT_BYTES);
    } catch (java.text.ParseException e) {
      throw new IssuerHttp.FetchFailure(url + " answered something that is not a JSON object");
    }
    String published = doc.get("issuer") instanceof String s ? s : null;
    String adopted = config.issuer;
    if (published == null || !published.equals(config.issuer)) {
      if (published != null && stripSlash(published).equals(stripSlash(config.issuer))) {
        log.warn("Issuer configured as '{}' but its discovery document says '{}'; using '{}' for the exact iss check. "
            + "Configure it with the same trailing slash to silence this warning.", config.issuer, published, published);
        adopted = published;
      } else {
        throw new IssuerHttp.FetchFailure(url + " names issuer " + Json.shown(published) + ", not the configured "
            + Json.shown(config.issuer) + "; refusing its endpoints");
      }
    }
    return new Metadata(adopted,
        config.jwksUri != null ? url(config.jwksUri) : endpoint(doc, "jwks_uri"),
        config.userinfoUri != null ? url(config.userinfoUri) : endpoint(doc, "userinfo_endpoint"),
        config.introspectionUri != null ? url(config.introspectionUri) : endpoint(doc, "introspection_endpoint"));
  }

  private HttpUrl endpoint(Map<String, Object> doc, String name) throws IOException {
    if (!(doc.get(name) instanceof String s)) {
      return null;
    }
    HttpUrl url = HttpUrl.parse(s);
    if (url == null) {
      throw new IssuerHttp.FetchFailure("the discovery document's " + name + " is not a URL");
    }
    if (!url.isHttps() && !config.allowHttp && !TrustedIssuer.isLoopback(url.host())) {
      throw new IssuerHttp.FetchFailure("the discovery document's " + name + " is not https: " + Json.shown(s));
    }
    return url;
  }

  static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
