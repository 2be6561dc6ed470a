package dev.tokenward.core;

import com.github.benmanes.caffeine.cache.Cache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import okhttp3.HttpUrl;

/**
 * Asks the issuer about a token it cannot check locally: the userinfo endpoint (Auth0's way for
 * opaque tokens) or RFC 7662 introspection with the API's client credentials. Also used for the
 * optional online (revocation) check of JWTs.
 *
 * <p>Positive answers are cached by token hash for a bounded time and never past the token's
 * expiry; concurrent requests with the same token share one call. A refusal by the issuer is an
 * invalid token; an issuer that cannot be reached is a distinct, retryable outcome.
 */
final class OpaqueTokens {
  static final int MAX_ANSWER_BYTES = 64 * 1024;

  private final TrustedIssuer config;
  private final Discovery discovery;
  private final IssuerHttp http;
  private final Clock clock;
  private final Duration waitTimeout;
  private final Cache<TokenHash, VerifiedToken> cache;

  OpaqueTokens(TrustedIssuer config, Discovery discovery, IssuerHttp http, Clock clock,
      Cache<TokenHash, VerifiedToken> cache) {
    this.config = config;
    this.discovery = discovery;
    this.http = http;
    this.clock = clock;
    this.waitTimeout = http.callTimeout().multipliedBy(2);
    this.cache = cache;
  }

  /** Validates a token by asking the issuer with the given policy; cached per token hash. */
  VerifiedToken check(String token, OpaqueTokenPolicy policy) throws TokenValidationException {
    TokenHash key = TokenHash.of(token);
    VerifiedToken cached = cache.getIfPresent(key);
    long now = clock.millis() / 1000;
    if (cached != null && now < cached.expiresAtSeconds()) {
      return cached;
    }
    try {
      return cache.get(key, k -> {
        try {
          return policy == OpaqueTokenPolicy.INTROSPECT ? introspect(token) : userinfo(token);
        } catch (TokenValidationException e) {
          throw new CompletionException(e);
        }
      });
    } catch (CompletionException e) {
      if (e.getCause() instanceof TokenValidationException t) {
        throw t;
      }
      throw e;
    }
  }

  private VerifiedToken userinfo(String token) throws TokenValidationException {
    HttpUrl url = discovery.await(waitTimeout).userinfoUri();
    if (url == null) {
      throw TokenValidationException.unavailable("no userinfo endpoint is configured or discovered for "
          + config.issuer, null, null);
    }
    IssuerHttp.Answer answer = call(() -> http.get(url, token, MAX_ANSWER_BYTES), "userinfo");
    if (answer.code() == 401 || answer.code() == 403) {
      throw new TokenValidationException(Reason.INACTIVE, "the issuer's userinfo endpoint refused the token (HTTP "
          + answer.code() + "): it is expired, revoked, or not one of this issuer's tokens");
    }
    Map<String, Object> claims = parse(answer, "userinfo");
    return new VerifiedToken(TokenKind.OPAQUE, config.issuer, claims, Map.of(), Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MIN_VALUE, null);
  }

  private VerifiedToken introspect(String token) throws TokenValidationException {
    HttpUrl url = discovery.await(waitTimeout).introspectionUri();
    if (url == null || config.clientId == null) {
      throw TokenValidationException.unavailable("no introspection endpoint and client credentials are configured for "
          + config.issuer, null, null);
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("token", token);
    form.put("token_type_hint", "access_token");
    String basic = "Basic " + Base64.getEncoder().encodeToString(
        (formEncode(config.clientId) + ":" + formEncode(config.clientSecret)).getBytes(StandardCharsets.UTF_8));
    IssuerHttp.Answer answer = call(() -> http.postForm(url, form, basic, MAX_ANSWER_BYTES), "introspection");
    if (answer.code() == 401 || answer.code() == 403) {
      throw TokenValidationException.unavailable("the introspection endpoint refused this API's client credentials (HTTP "
          + answer.code() + "); check clientId and clientSecret", null, null);
    }
    Map<String, Object> claims = parse(answer, "introspection");
    if (!Boolean.TRUE.equals(claims.get("active"))) {
      throw new TokenValidationException(Reason.INACTIVE,
          "the issuer's introspection endpoint says the token is not active (expired, revoked or unknown)");
    }
    long now = clock.millis() / 1000;
    long exp = claims.get("exp") instanceof Number n ? n.longValue() : Long.MAX_VALUE;
    if (exp != Long.MAX_VALUE && now >= exp) {
      throw new TokenValidationException(Reason.EXPIRED, "introspection says the token expired at " + exp);
    }
    if (claims.get("iss") instanceof String iss && !iss.equals(discovery.effectiveIssuer())) {
      throw new TokenValidationException(Reason.WRONG_ISSUER, "introspection says the token's issuer is "
          + Json.shown(iss) + ", not " + Json.shown(discovery.effectiveIssuer()));
    }
    if (claims.containsKey("aud") && Claims.audiences(claims).stream().noneMatch(config.audiences::contains)) {
      throw new TokenValidationException(Reason.WRONG_AUDIENCE, "introspection says the token's audience is "
          + Json.shown(Claims.audiences(claims)) + ", which holds none of " + config.audiences);
    }
    return new VerifiedToken(TokenKind.OPAQUE, config.issuer, claims, Map.of(), exp, Long.MIN_VALUE,
        claims.get("iat") instanceof Number n ? n.longValue() : Long.MIN_VALUE, null);
  }

  private interface HttpCall {
    IssuerHttp.Answer run() throws IOException;
  }

  private IssuerHttp.Answer call(HttpCall call, String what) throws TokenValidationException {
    IssuerHttp.Answer answer;
    try {
      answer = call.run();
    } catch (IOException e) {
      throw TokenValidationException.unavailable("the issuer's " + what + " endpoint could not be reached ("
          + e.getClass().getSimpleName() + "); retry later", Duration.ofSeconds(5), null);
    }
    if (answer.code() == 429 || answer.code() >= 500) {
      throw TokenValidationException.unavailable("the issuer's " + what + " endpoint answered HTTP " + answer.code()
          + "; retry later", retryAfter(answer.retryAfter()), null);
    }
    return answer;
  }

  private static Map<String, Object> parse(IssuerHttp.Answer answer, String what) throws TokenValidationException {
    if (!answer.ok()) {
      throw TokenValidationException.unavailable("the issuer's " + what + " endpoint answered HTTP " + answer.code(),
          Duration.ofSeconds(5), null);
    }
    try {
      return Json.parseObject(answer.body(), MAX_ANSWER_BYTES);
    } catch (java.text.ParseException e) {
      throw TokenValidationException.unavailable("the issuer's " + what + " answer is not a JSON object",
          Duration.ofSeconds(5), null);
    }
  }

  static Duration retryAfter(String header) {
    if (header != null) {
      try {
        long s = Long.parseLong(header.trim());
        return Duration.ofSeconds(Math.min(Math.max(s, 1), 3600));
      } catch (NumberFormatException ignored) {
        // an HTTP-date: fall through to the default
      }
    }
    return Duration.ofSeconds(5);
  }

  private static String formEncode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
