package com.example.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The service as built from its pom.xml alone, configured only by the environment invoker.properties sets. */
class MessagesApiTest {
  static final String CHALLENGE = "Bearer realm=\"tokenward\"";
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static Server server;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    server = MessagesApi.start(0);
    base = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  @Test
  void publicPathNeedsNoToken() throws Exception {
    HttpResponse<String> r = get("/health", null);
    assertEquals(200, r.statusCode());
    assertEquals("hello anonymous", r.body());
  }

  @Test
  void protectedPathWithoutTokenIs401WithChallenge() throws Exception {
    HttpResponse<String> r = get("/api/anything", null);
    assertEquals(401, r.statusCode());
    // DPoP is allowed by default (RFC 9449 section 7.1): a request without credentials gets both challenges
    assertEquals(List.of(CHALLENGE, "DPoP realm=\"tokenward\", algs=\"ES256 EdDSA Ed25519 RS256 PS256\""),
        r.headers().allValues("WWW-Authenticate"));
  }

  @Test
  void protectedPathWithValidTokenIs200() throws Exception {
    HttpResponse<String> r = get("/api/anything", token("https://messages.example.com", "openid"));
    assertEquals(200, r.statusCode());
    assertEquals("hello client-1@clients", r.body());
  }

  @Test
  void tokenForAnotherApiIs401InvalidToken() throws Exception {
    HttpResponse<String> r = get("/api/anything", token("https://other.example.com", "read:messages"));
    assertEquals(401, r.statusCode());
    String challenge = r.headers().firstValue("WWW-Authenticate").orElseThrow();
    assertTrue(challenge.startsWith(CHALLENGE + ", error=\"invalid_token\", error_description=\"token 'aud'"), challenge);
  }

  @Test
  void ruleFromTheEnvironmentIsEnforced() throws Exception {
    assertEquals(200, get("/api/messages", token("https://messages.example.com", "read:messages")).statusCode());
    HttpResponse<String> r = get("/api/messages", token("https://messages.example.com", "openid"));
    assertEquals(403, r.statusCode());
    assertEquals(List.of(CHALLENGE + ", error=\"insufficient_scope\", error_description=\"the token lacks the required"
        + " scope or permission read:messages\", scope=\"read:messages\""), r.headers().allValues("WWW-Authenticate"));
  }

  /** An HS256 access token as the issuer of TOKENWARD_ISSUER would sign it with TOKENWARD_HS256_SECRET. */
  private static String token(String audience, String scope) throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(System.getenv("TOKENWARD_ISSUER"))
        .subject("client-1@clients")
        .audience(audience)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)))
        .claim("scope", scope)
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(System.getenv("TOKENWARD_HS256_SECRET").getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
