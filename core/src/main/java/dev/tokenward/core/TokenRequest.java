package dev.tokenward.core;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link AccessTokenValidator#validate(TokenRequest)} needs of an HTTP request when the token
 * alone is not enough: a DPoP proof (RFC 9449) is checked against the method and URI, and a
 * certificate-bound token (RFC 8705) against the TLS client certificate.
 *
 * <p>Immutable; a filter builds one per request from the raw header values, unparsed, so the
 * decisions (several {@code Authorization} headers, several proofs) are made in core alike for
 * every web framework. Its {@code toString} never shows the token or the proof.
 *
 * <pre>{@code
 * TokenRequest request = TokenRequest.builder("GET", "https://api.example.com/orders?page=2")
 *     .authorization(headers("Authorization"))
 *     .dpopProofs(headers("DPoP"))
 *     .clientCertificate(tlsClientCertOrNull)
 *     .build();
 * VerifiedToken token = validator.validate(request);
 * }</pre>
 */
public final class TokenRequest {
  private final String method;
  private final String rawUri;
  private volatile URI uri; // parsed on first use when the builder's check showed it parses (URI's fields are not final)
  private final List<String> authorization;
  private final List<String> dpopProofs;
  private final X509Certificate clientCertificate;
  private final List<String> clientCertificateHeader;
  private final DpopPolicy dpopPolicy;
  private final Boolean dpopNonceRequired;
  private final SenderConstraint senderConstraint;
  private final boolean online;

  private TokenRequest(Builder b) {
    this.method = b.method;
    this.rawUri = b.rawUri;
    this.uri = b.uri;
    this.authorization = List.copyOf(b.authorization);
    this.dpopProofs = List.copyOf(b.dpopProofs);
    this.clientCertificate = b.clientCertificate;
    this.clientCertificateHeader = List.copyOf(b.clientCertificateHeader);
    this.dpopPolicy = b.dpopPolicy;
    this.dpopNonceRequired = b.dpopNonceRequired;
    this.senderConstraint = b.senderConstraint;
    this.online = b.online;
  }

  /**
   * Starts a request description.
   *
   * @param method the HTTP method exactly as received ({@code GET}); a proof's {@code htm} must equal it
   * @param uri the absolute URI the request arrived on, query included or not (it is ignored)
   */
  public static Builder builder(String method, String uri) {
    return new Builder(method, uri);
  }

  /** The HTTP method, as received. */
  public String method() {
    return method;
  }

  /** The absolute request URI, as received (before any external base URL is applied). */
  public URI uri() {
    URI u = uri;
    if (u == null) { // two threads may both parse it: the same value
      uri = u = URI.create(rawUri);
    }
    return u;
  }

  /** Every {@code Authorization} header value, in order; empty when there is none. */
  public List<String> authorization() {
    return authorization;
  }

  /** Every {@code DPoP} header value, in order; empty when there is none. */
  public List<String> dpopProofs() {
    return dpopProofs;
  }

  /** The client certificate of the TLS connection, if the client presented one. */
  public Optional<X509Certificate> clientCertificate() {
    return Optional.ofNullable(clientCertificate);
  }

  /**
   * The values of the header a TLS-terminating proxy puts the client certificate in; read only when
   * the validator names that header ({@link AccessTokenValidator.Builder#clientCertificateHeader}).
   */
  public List<String> clientCertificateHeader() {
    return clientCertificateHeader;
  }

  /** This endpoint's DPoP policy, overriding the issuer's; empty to use the issuer's. */
  public Optional<DpopPolicy> dpopPolicy() {
    return Optional.ofNullable(dpopPolicy);
  }

  /** Whether this endpoint requires DPoP server nonces, overriding the issuer's; empty to use the issuer's. */
  public Optional<Boolean> dpopNonceRequired() {
    return Optional.ofNullable(dpopNonceRequired);
  }

  /** What this endpoint demands of how the token is presented (DPoP, or DPoP or mTLS); empty to leave it to the DPoP policy. */
  public Optional<SenderConstraint> senderConstraint() {
    return Optional.ofNullable(senderConstraint);
  }

  /** True if the issuer must also confirm that the token is still active, as {@link AccessTokenValidator#validateOnline} does. */
  public boolean online() {
    return online;
  }

  @Override
  public String toString() {
    URI uri = uri();
    return "TokenRequest{" + method + " " + uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath()
        + ", authorization=" + authorization.size() + " value(s), dpop=" + dpopProofs.size() + " proof(s)"
        + (clientCertificate != null ? ", client certificate" : "") + "}";
  }

  /** Fail-fast builder: the method and URI are checked when given. */
  public static final class Builder {
    private final String method;
    private final String rawUri;
    private final URI uri; // null: parsed when first asked for
    private final List<String> authorization = new ArrayList<>(1);
    private final List<String> dpopProofs = new ArrayList<>(1);
    private final List<String> clientCertificateHeader = new ArrayList<>(0);
    private X509Certificate clientCertificate;
    private DpopPolicy dpopPolicy;
    private Boolean dpopNonceRequired;
    private SenderConstraint senderConstraint;
    private boolean online;

    private Builder(String method, String uri) {
      if (method == null || method.isEmpty() || !isToken(method)) {
        throw new IllegalArgumentException("method: must be an HTTP method token, got " + Json.shown(method));
      }
      this.method = method;
      Objects.requireNonNull(uri, "uri");
      this.rawUri = uri;
      if (isPlainHttpUri(uri)) { // parses as checked below, so the parse waits for a check that needs it
        this.uri = null;
        return;
      }
      URI parsed;
      try {
        parsed = new URI(uri);
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("uri: not a valid URI: " + e.getReason(), e);
      }
      String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || parsed.getRawAuthority() == null) {
        throw new IllegalArgumentException("uri: must be an absolute http or https URI (scheme://host/path), got "
            + Json.shown(uri));
      }
      this.uri = parsed;
    }

    /**
     * Whether {@code s} is an {@code http} or {@code https} URI of the plainest form: the characters
     * of a host name or IPv4 address (which {@code java.net.URI} may read as a registry authority, as
     * the eager parse did), an optional port, then path and query of unreserved, sub-delimiter, {@code :},
     * {@code @}, {@code /}, {@code ?} characters and well-formed percent escapes, no fragment. Every
     * such string parses as an absolute URI with an authority, which {@code TokenRequestTest} checks
     * over many generated ones; anything else is parsed at once and refused as before. A filter
     * builds a request per HTTP request and parsing its URL was a quarter of the filter's own cost,
     * while only a DPoP proof's {@code htu} or an opaque token's issuer resolver reads it.
     */
    static boolean isPlainHttpUri(String s) {
      int i = s.startsWith("https://") ? 8 : s.startsWith("http://") ? 7 : -1;
      if (i < 0) {
        return false;
      }
      int n = s.length();
      int hostStart = i;
      while (i < n && isHostChar(s.charAt(i))) {
        i++;
      }
      if (i == hostStart) {
        return false;
      }
      if (i < n && s.charAt(i) == ':') {
        int portStart = ++i;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          i++;
        }
        if (i == portStart || i - portStart > 5) {
          return false;
        }
      }
      if (i < n && s.charAt(i) != '/' && s.charAt(i) != '?') {
        return false;
      }
      for (; i < n; i++) {
        char c = s.charAt(i);
        if (c == '%') {
          if (i + 2 >= n || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
            return false;
          }
          i += 2;
        } else if (c >= 128 || !PATH_OR_QUERY_CHARS[c]) {
          return false;
        }
      }
      return true;
    }

    private static final boolean[] PATH_OR_QUERY_CHARS = new boolean[128];

    static {
      for (char c : ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?").toCharArray()) {
        PATH_OR_QUERY_CHARS[c] = true;
      }
    }

    private static boolean isHostChar(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    }

    private static boolean isHex(char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** RFC 9110 token: checked with a loop, as a filter builds a request per HTTP request (no stream). */
    private static boolean isToken(String s) {
      for (int i = 0; i < s.length(); i++) {
        if (!isTchar(s.charAt(i))) {
          return false;
        }
      }
      return true;
    }

    private static boolean isTchar(int c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** The {@code Authorization} header values (null or empty: none). */
    public Builder authorization(Collection<String> values) {
      addAll(authorization, values, "authorization");
      return this;
    }

    /** One {@code Authorization} header value, e.g. {@code "DPoP eyJ..."}. */
    public Builder authorization(String value) {
      authorization.add(Objects.requireNonNull(value, "authorization"));
      return this;
    }

    /** The {@code DPoP} header values (null or empty: none). */
    public Builder dpopProofs(Collection<String> values) {
      addAll(dpopProofs, values, "dpopProofs");
      return this;
    }

    /** One {@code DPoP} header value. */
    public Builder dpopProof(String value) {
      dpopProofs.add(Objects.requireNonNull(value, "dpopProof"));
      return this;
    }

    /** The TLS client certificate (servlet: {@code jakarta.servlet.request.X509Certificate}, the first of the array); null for none. */
    public Builder clientCertificate(X509Certificate certificate) {
      this.clientCertificate = certificate;
      return this;
    }

    /** The values of the configured client-certificate header of a TLS-terminating proxy (null or empty: none). */
    public Builder clientCertificateHeader(Collection<String> values) {
      addAll(clientCertificateHeader, values, "clientCertificateHeader");
      return this;
    }

    /** This endpoint's DPoP policy, overriding the issuer's (e.g. {@code REQUIRED} for an endpoint annotated so). */
    public Builder dpopPolicy(DpopPolicy policy) {
      this.dpopPolicy = Objects.requireNonNull(policy, "dpopPolicy");
      return this;
    }

    /** Whether this endpoint requires DPoP server nonces, overriding the issuer's. */
    public Builder dpopNonceRequired(boolean required) {
      this.dpopNonceRequired = required;
      return this;
    }

    /**
     * This endpoint demands a sender-constrained token (an annotation or path rule said so): with
     * {@link SenderConstraint#DPOP} the endpoint's DPoP policy is {@code REQUIRED}; with
     * {@link SenderConstraint#DPOP_OR_MTLS} a certificate-bound token with its client certificate
     * passes too. A plain bearer token is refused with 401 {@code invalid_token} and a DPoP challenge.
     */
    public Builder senderConstraint(SenderConstraint constraint) {
      this.senderConstraint = Objects.requireNonNull(constraint, "senderConstraint");
      return this;
    }

    /** Also ask the issuer whether the token is still active (revocation), as {@link AccessTokenValidator#validateOnline}. */
    public Builder online(boolean online) {
      this.online = online;
      return this;
    }

    /** The immutable request. */
    public TokenRequest build() {
      if (senderConstraint == SenderConstraint.DPOP && dpopPolicy == DpopPolicy.OFF) {
        throw new IllegalArgumentException("senderConstraint DPOP contradicts dpopPolicy OFF: keep one");
      }
      return new TokenRequest(this);
    }

    private static void addAll(List<String> to, Collection<String> values, String name) {
      if (values != null) {
        for (String v : values) {
          to.add(Objects.requireNonNull(v, name + ": null value"));
        }
      }
    }
  }
}
