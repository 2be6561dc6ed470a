package dev.tokenward.core;

import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One authorization server whose access tokens an API accepts: its exact {@code iss}, the API
 * identifiers that must appear in {@code aud}, the algorithms it signs with, where its keys come
 * from, and what to do with its opaque tokens.
 *
 * <p>Most services trust one issuer and configure it through {@link AccessTokenValidator.Builder}
 * directly; a service that accepts tokens from several builds one {@code TrustedIssuer} each and
 * passes them to {@link AccessTokenValidator.Builder#issuer(TrustedIssuer)}. Immutable; invalid
 * settings fail in {@link Builder#build()} with a message naming the setting.
 */
public final class TrustedIssuer {
  /** The algorithms accepted when none are configured. */
  public static final Set<String> DEFAULT_ALGORITHMS = Set.of("RS256");

  final String issuer;
  final Set<String> audiences;
  final Set<String> algorithms;
  final URI jwksUri;
  final JWKSet staticKeys;
  final byte[] hmacSecret;
  final OpaqueTokenPolicy opaqueTokens;
  final URI userinfoUri;
  final URI introspectionUri;
  final String clientId;
  final String clientSecret;
  final boolean allowHttp;
  final DpopPolicy dpopPolicy;
  final boolean dpopNonceRequired;

  private TrustedIssuer(Builder b) {
    this.issuer = b.issuer;
    this.audiences = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(b.audiences)); // ordered: advice names the first
    this.algorithms = Set.copyOf(b.algorithms == null ? DEFAULT_ALGORITHMS : b.algorithms);
    this.jwksUri = b.jwksUri;
    this.staticKeys = b.staticKeys;
    this.hmacSecret = b.hmacSecret == null ? null : b.hmacSecret.clone();
    this.opaqueTokens = b.opaqueTokens;
    this.userinfoUri = b.userinfoUri;
    this.introspectionUri = b.introspectionUri;
    this.clientId = b.clientId;
    this.clientSecret = b.clientSecret;
    this.allowHttp = b.allowHttp;
    this.dpopPolicy = b.dpopPolicy;
    this.dpopNonceRequired = b.dpopNonceRequired;
  }

  /** Starts configuring the issuer whose {@code iss} is exactly {@code issuer} (Auth0: {@code https://TENANT.auth0.com/}). */
  public static Builder builder(String issuer) {
    return new Builder(issuer);
  }

  /** The exact {@code iss} value tokens must carry. */
  public String issuer() {
    return issuer;
  }

  /** The API identifiers of which {@code aud} must contain at least one, in the order configured. */
  public Set<String> audiences() {
    return audiences;
  }

  /** The accepted JWS algorithms. */
  public Set<String> algorithms() {
    return algorithms;
  }

  /** What happens to tokens that are not a JWS. */
  public OpaqueTokenPolicy opaqueTokens() {
    return opaqueTokens;
  }

  /** The configured JWKS location, if discovery is skipped. */
  public Optional<URI> jwksUri() {
    return Optional.ofNullable(jwksUri);
  }

  /** Whether this issuer's tokens may or must come with a DPoP proof. */
  public DpopPolicy dpopPolicy() {
    return dpopPolicy;
  }

  /** True if DPoP proofs for this issuer's tokens must carry a server nonce. */
  public boolean dpopNonceRequired() {
    return dpopNonceRequired;
  }

  @Override
  public String toString() {
    return "TrustedIssuer{" + issuer + ", audiences=" + audiences + ", algorithms=" + algorithms
        + ", opaqueTokens=" + opaqueTokens + ", dpop=" + dpopPolicy + (dpopNonceRequired ? " with nonces" : "") + "}";
  }

  /** Fail-fast builder: each setter checks its argument, {@link #build()} checks the combination. */
  public static final class Builder {
    private String issuer; // null only in AccessTokenValidator.Builder's until its issuer(String) is called
    private final List<String> audiences = new ArrayList<>();
    private Set<String> algorithms;
    private URI jwksUri;
    private JWKSet staticKeys;
    private byte[] hmacSecret;
    private OpaqueTokenPolicy opaqueTokens = OpaqueTokenPolicy.REJECT;
    private URI userinfoUri;
    private URI introspectionUri;
    private String clientId;
    private String clientSecret;
    private boolean allowHttp;
    private DpopPolicy dpopPolicy = DpopPolicy.ALLOWED;
    private boolean dpopNonceRequired;

    private Builder(String issuer) {
      named(issuer);
    }

    /** For {@link AccessTokenValidator.Builder}: its single-issuer setters may come before {@code issuer(String)}. */
    Builder() {}

    Builder named(String issuer) {
      if (issuer == null || issuer.isBlank()) {
        throw new IllegalArgumentException("issuer: must not be empty");
      }
      this.issuer = issuer;
      return this;
    }

    boolean named() {
      return issuer != null;
    }

    /** Adds accepted API identifiers (Auth0: the API's Identifier, e.g. {@code https://api.example.com}). */
    public Builder audience(String... audiences) {
      for (String a : audiences) {
        if (a == null || a.isBlank()) {
          throw new IllegalArgumentException("audience: values must not be empty");
        }
        this.audiences.add(a);
      }
      return this;
    }

    /**
     * Replaces the accepted algorithms (default {@code RS256}). Allowed: RS256/384/512, PS256/384/512,
     * ES256/384/512, ES256K, EdDSA (Ed25519), and HS256/384/512 together with {@link #hmacSecret}.
     * {@code none} is refused in any spelling.
     */
    public Builder algorithms(String... algorithms) {
      Set<String> set = new LinkedHashSet<>();
      for (String alg : algorithms) {
        if (alg == null || alg.isBlank()) {
          throw new IllegalArgumentException("algorithms: values must not be empty");
        }
        String a = alg.trim();
        if (a.toLowerCase(Locale.ROOT).equals("none")) {
          throw new IllegalArgumentException("algorithms: 'none' is never allowed; unsigned tokens prove nothing");
        }
        if (KeyCandidate.familyOf(a) == null) {
          throw new IllegalArgumentException("algorithms: unknown or unsupported JWS algorithm '" + a
              + "'; supported: RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 ES256K EdDSA HS256 HS384 HS512");
        }
        set.add(a);
      }
      if (set.isEmpty()) {
        throw new IllegalArgumentException("algorithms: at least one is required");
      }
      this.algorithms = set;
      return this;
    }

    /** Fetches keys from this JWKS location instead of the one named by discovery. */
    public Builder jwksUri(String jwksUri) {
      this.jwksUri = URI.create(Objects.requireNonNull(jwksUri, "jwksUri"));
      return this;
    }

    /**
     * Uses these keys and never fetches any: for services that cannot reach the issuer. See
     * {@link StaticKeys} for reading them from PEM or a JWKS document.
     */
    public Builder keys(JWKSet keys) {
      this.staticKeys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /** The shared secret of an HS256/384/512 API: at least 32, 48 or 64 bytes respectively. */
    public Builder hmacSecret(byte[] secret) {
      this.hmacSecret = Objects.requireNonNull(secret, "hmacSecret").clone();
      return this;
    }

    /** What to do with tokens that are not a JWS; default {@link OpaqueTokenPolicy#REJECT}. */
    public Builder opaqueTokens(OpaqueTokenPolicy policy) {
      this.opaqueTokens = Objects.requireNonNull(policy, "opaqueTokens");
      return this;
    }

    /** The userinfo endpoint, instead of the one named by discovery. */
    public Builder userinfoUri(String uri) {
      this.userinfoUri = URI.create(Objects.requireNonNull(uri, "userinfoUri"));
      return this;
    }

    /** The RFC 7662 endpoint (or null to use discovery's) and the API's own client credentials for it. */
    public Builder introspection(String uri, String clientId, String clientSecret) {
      this.introspectionUri = uri == null ? null : URI.create(uri);
      this.clientId = Objects.requireNonNull(clientId, "clientId");
      this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
      return this;
    }

    /** Allows {@code http://} for a non-loopback issuer and its endpoints; loopback is always allowed. */
    public Builder allowHttp(boolean allow) {
      this.allowHttp = allow;
      return this;
    }

    /**
     * Whether this issuer's tokens may ({@code ALLOWED}, the default) or must ({@code REQUIRED}) come
     * with a DPoP proof under the {@code DPoP} scheme, or whether that scheme is unknown ({@code OFF}).
     * Checked by {@link AccessTokenValidator#validate(TokenRequest)}; an endpoint may override it.
     */
    public Builder dpop(DpopPolicy policy) {
      this.dpopPolicy = Objects.requireNonNull(policy, "dpop");
      return this;
    }

    /** Require DPoP proofs for this issuer's tokens to carry a server nonce (RFC 9449 section 9); default false. */
    public Builder dpopNonce(boolean required) {
      this.dpopNonceRequired = required;
      return this;
    }

    /** Checks the combination and returns the immutable issuer. */
    public TrustedIssuer build() {
      if (issuer == null) {
        throw new IllegalStateException("issuer: required; the audience, algorithms and keys set configure the issuer "
            + "named by issuer(String)");
      }
      if (audiences.isEmpty()) {
        throw new IllegalStateException("audience: at least one API identifier is required for issuer " + issuer
            + "; without it any token of the issuer, for any API, would be accepted");
      }
      requireSecureUri("issuer", URI.create(issuer));
      for (URI uri : Arrays.asList(jwksUri, userinfoUri, introspectionUri)) {
        if (uri != null) {
          requireSecureUri("endpoint " + uri, uri);
        }
      }
      Set<String> algs = algorithms == null ? DEFAULT_ALGORITHMS : algorithms;
      for (String alg : algs) {
        if (alg.startsWith("HS")) {
          int needed = Integer.parseInt(alg.substring(2)) / 8;
          if (hmacSecret == null) {
            throw new IllegalStateException("algorithms: " + alg + " needs hmacSecret (the API's signing secret)");
          }
          if (hmacSecret.length < needed) {
            throw new IllegalStateException("hmacSecret: " + alg + " needs a secret of at least " + needed * 8
                + " bits; this one has " + hmacSecret.length * 8);
          }
        }
      }
      if (hmacSecret != null && algs.stream().noneMatch(a -> a.startsWith("HS"))) {
        throw new IllegalStateException("hmacSecret: set, but no HS256/HS384/HS512 is among the algorithms " + algs);
      }
      if (opaqueTokens == OpaqueTokenPolicy.INTROSPECT && clientId == null) {
        throw new IllegalStateException("opaqueTokens: INTROSPECT needs introspection(uri, clientId, clientSecret)");
      }
      return new TrustedIssuer(this);
    }

    private void requireSecureUri(String what, URI uri) {
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (scheme.equals("https")) {
        return;
      }
      if (!scheme.equals("http")) {
        throw new IllegalStateException(what + ": must be an https URL, got " + uri);
      }
      if (!allowHttp && !isLoopback(uri.getHost())) {
        throw new IllegalStateException(what + ": http is only allowed for loopback hosts; use https, or allowHttp(true) "
            + "if a TLS-terminating proxy really sits in between");
      }
    }
  }

  /**
   * True only for {@code localhost} and IP literals in 127.0.0.0/8 or {@code ::1}: a name that
   * merely starts with "127." ({@code 127.attacker.example}) is an ordinary host. Decided on the
   * text alone; no name is ever resolved.
   */
  static boolean isLoopback(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost")) {
      return true;
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.indexOf(':') >= 0) {
      if (!h.matches("[0-9a-f:.]+")) {
        return false;
      }
      try {
        // a text with a colon is parsed as an IPv6 literal, never looked up
        return java.net.InetAddress.getByName("[" + h + "]").isLoopbackAddress();
      } catch (java.net.UnknownHostException e) {
        return false;
      }
    }
    String[] octets = h.split("\\.", -1);
    if (octets.length != 4) {
      return false;
    }
    for (String o : octets) {
      if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(o) > 255) {
        return false;
      }
    }
    return octets[0].equals("127");
  }

  boolean staticKeysOnly() {
    return staticKeys != null;
  }
}
