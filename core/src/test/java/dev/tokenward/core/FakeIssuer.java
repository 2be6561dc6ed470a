package dev.tokenward.core;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A scriptable issuer on MockWebServer for tests across the project: discovery, JWKS, userinfo and
 * introspection, with request counters, programmable faults, key rotation and a token minter.
 * Shared with the filter modules through core's test-jar.
 */
public final class FakeIssuer implements Closeable {
  public static final String AUDIENCE = "https://api.tokenward.test";
  private static final RSAKey[] RSA_KEYS = new RSAKey[3];
  private static final ECKey EC_KEY;

  static {
    try {
      for (int i = 0; i < RSA_KEYS.length; i++) {
        RSA_KEYS[i] = new RSAKeyGenerator(2048).keyID("rsa-" + (i + 1)).generate();
      }
      EC_KEY = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final MockWebServer server = new MockWebServer();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final Map<String, Function<RecordedRequest, MockResponse>> overrides = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Object>> opaqueTokens = new ConcurrentHashMap<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private volatile List<JWK> published = List.of(RSA_KEYS[0].toPublicJWK(), EC_KEY.toPublicJWK());
  private volatile String discoveredIssuer;

  public FakeIssuer() {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        String path = request.getRequestUrl().encodedPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Function<RecordedRequest, MockResponse> override = overrides.get(path);
        if (override != null) {
          return override.apply(request);
        }
        return switch (path) {
          case "/.well-known/openid-configuration" -> json(discovery());
          case "/.well-known/jwks.json" -> json(new JWKSet(published).toString(true));
          case "/userinfo" -> userinfo(request);
          case "/oauth/introspect" -> introspect(request);
          default -> new MockResponse().setResponseCode(404);
        };
      }
    });
    try {
      server.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code http://127.0.0.1:PORT/}, with the trailing slash like Auth0's issuers. */
  public String issuer() {
    return server.url("/").toString();
  }

  public String url(String path) {
    return server.url(path).toString();
  }

  public static RSAKey rsaKey(int i) {
    return RSA_KEYS[i];
  }

  public static ECKey ecKey() {
    return EC_KEY;
  }

  /** Requests served on a path so far. */
  public int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  public int jwksHits() {
    return hits("/.well-known/jwks.json");
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** Replaces the answer on a path, e.g. with a fault. */
  public FakeIssuer answer(String path, Function<RecordedRequest, MockResponse> response) {
    overrides.put(path, response);
    return this;
  }

  public FakeIssuer answer(String path, MockResponse response) {
    return answer(path, r -> response);
  }

  public FakeIssuer clearAnswer(String path) {
    overrides.remove(path);
    return this;
  }

  /** Publishes exactly these keys' public parts in the JWKS. */
  public FakeIssuer publish(JWK... keys) {
    List<JWK> pub = new ArrayList<>();
    for (JWK k : keys) {
      pub.add(k.toPublicJWK());
    }
    this.published = List.copyOf(pub);
    return this;
  }

  /** The discovery document's {@code issuer}; default: {@link #issuer()}. */
  public FakeIssuer discoveredIssuer(String issuer) {
    this.discoveredIssuer = issuer;
    return this;
  }

  /** Makes an opaque token known to userinfo/introspection with these claims. */
  public FakeIssuer opaque(String token, Map<String, Object> claims) {
    opaqueTokens.put(token, claims);
    return this;
  }

  /** A fresh token builder with Auth0-like defaults, signed RS256 by key 0. */
  public Jwt jwt() {
    return new Jwt(issuer());
  }

  private String discovery() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", discoveredIssuer != null ? discoveredIssuer : issuer());
    doc.put("jwks_uri", url("/.well-known/jwks.json"));
    doc.put("userinfo_endpoint", url("/userinfo"));
    doc.put("introspection_endpoint", url("/oauth/introspect"));
    return JSONObjectUtils.toJSONString(doc);
  }

  private MockResponse userinfo(RecordedRequest request) {
    String auth = request.getHeader("Authorization");
    Map<String, Object> claims = auth != null && auth.startsWith("Bearer ") ? opaqueTokens.get(auth.substring(7)) : null;
    if (claims == null) {
      return new MockResponse().setResponseCode(401).setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }
    return json(JSONObjectUtils.toJSONString(claims));
  }

  private MockResponse introspect(RecordedRequest request) {
    if (request.getHeader("Authorization") == null || !request.getHeader("Authorization").startsWith("Basic ")) {
      return new MockResponse().setResponseCode(401);
    }
    String body = request.getBody().readUtf8();
    String token = null;
    for (String pair : body.split("&")) {
      if (pair.startsWith("token=")) {
        token = java.net.URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
      }
    }
    Map<String, Object> claims = token == null ? null : opaqueTokens.get(token);
    if (claims == null) {
      return json("{\"active\":false}");
    }
    Map<String, Object> answer = new LinkedHashMap<>(claims);
    answer.put("active", true);
    return json(JSONObjectUtils.toJSONString(answer));
  }

  public static MockResponse json(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }

  /** An answer that never completes within any sane timeout. */
  public static MockResponse hang() {
    return new MockResponse().setHeadersDelay(30, TimeUnit.SECONDS).setBody("{}");
  }

  @Override
  public void close() throws IOException {
    server.shutdown();
  }

  /** Mints JWTs; every claim and header can be replaced or removed. */
  public static final class Jwt {
    private final Map<String, Object> header = new LinkedHashMap<>();
    private final Map<String, Object> claims = new LinkedHashMap<>();
    private JWSSigner signer;

    Jwt(String issuer) {
      long now = Instant.now().getEpochSecond();
      header.put("alg", "RS256");
      header.put("typ", "at+jwt");
      header.put("kid", RSA_KEYS[0].getKeyID());
      claims.put("iss", issuer);
      claims.put("sub", "auth0|user-1");
      claims.put("aud", List.of(AUDIENCE, issuer + "userinfo"));
      claims.put("iat", now);
      claims.put("exp", now + 3600);
      claims.put("azp", "client-1");
      claims.put("scope", "openid read:messages");
      claims.put("permissions", List.of("read:messages"));
      signWith(RSA_KEYS[0]);
    }

    public Jwt claim(String name, Object value) {
      if (value == null) {
        claims.remove(name);
      } else {
        claims.put(name, value);
      }
      return this;
    }

    public Jwt header(String name, Object value) {
      if (value == null) {
        header.remove(name);
      } else {
        header.put(name, value);
      }
      return this;
    }

    /** Signs with this RSA or EC key and names its kid and a fitting alg. */
    public Jwt signWith(JWK key) {
      try {
        if (key instanceof RSAKey rsa) {
          signer = new RSASSASigner(rsa);
          header.putIfAbsent("alg", "RS256");
          if (!String.valueOf(header.get("alg")).startsWith("PS")) {
            header.put("alg", "RS256");
          }
        } else if (key instanceof ECKey ec) {
          signer = new ECDSASigner(ec);
          header.put("alg", "ES256");
        }
        header.put("kid", key.getKeyID());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return this;
    }

    /** Signs with an HMAC secret (HS256 unless the alg header says otherwise). */
    public Jwt signWithSecret(byte[] secret) {
      try {
        signer = new MACSigner(secret);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      header.put("alg", "HS256");
      header.remove("kid");
      return this;
    }

    /** The compact serialization, signed over exactly the header and claims given. */
    public String sign() {
      try {
        String h = Base64URL.encode(JSONObjectUtils.toJSONString(header)).toString();
        String p = Base64URL.encode(JSONObjectUtils.toJSONString(claims)).toString();
        JWSHeader forSigner = new JWSHeader.Builder(JWSAlgorithm.parse((String) header.get("alg")))
            .type(JOSEObjectType.JWT).build();
        Base64URL sig = signer.sign(forSigner, (h + "." + p).getBytes(StandardCharsets.US_ASCII));
        return h + "." + p + "." + sig;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    /** Header and payload as given, with no signature work: for malformed-token tests. */
    public String unsigned(String signature) {
      String h = Base64URL.encode(JSONObjectUtils.toJSONString(header)).toString();
      String p = Base64URL.encode(JSONObjectUtils.toJSONString(claims)).toString();
      return h + "." + p + "." + signature;
    }
  }
}
