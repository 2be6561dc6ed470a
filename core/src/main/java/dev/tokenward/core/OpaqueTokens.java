package dev.tokenward.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.HttpUrl;

/**
 * Asks the issuer about a token it cannot check locally: the userinfo endpoint (Auth0's way for
 * opaque tokens) or RFC 7662 introspection with the API's client credentials. Also used for the
 * optional online (revocation) check of JWTs.
 *
 * <p>Positive answers are cached by token hash for a bounded time and never on or after the token's
 * expiry; concurrent requests with the same token share one call. The call runs in the thread of
 * the first request, outside any lock of the cache (the others wait on a per-token future kept
 * beside it), so a slow answer for one token never holds up another. A refusal by the issuer is an invalid token; an
 * issuer that cannot be reached is a distinct, retryable outcome.
 *
 * <p>With a {@link SharedOnlineCache} (replicas sharing Redis), a local miss asks it before the issuer,
 * and an answer from the issuer is stored there too, so one token costs one call across the replicas;
 * when several replicas miss the same token at once, the one that takes the cache's lock asks and the
 * others wait for its answer, at most the call timeout ({@link SharedAnswers#lookup}).
 * An answer read from it is checked again as if the issuer had just given it, and kept locally no
 * longer than it would have been kept there. A shared cache that fails is skipped: the issuer is asked.
 */
final class OpaqueTokens {
  static final int MAX_ANSWER_BYTES = 64 * 1024;

  private final TrustedIssuer config;
  private final Discovery discovery;
  private final IssuerHttp http;
  private final Clock clock;
  private final Duration waitTimeout;
  private final Duration joinTimeout;
  private final Lazy<Cache<TokenHash, VerifiedToken>> cache; // shared by the issuers; made by the first opaque token
  private final ValidationListener listener; // null when none is set
  /** Calls in flight, by token: a request for the same token joins the call instead of starting one. */
  private final ConcurrentHashMap<TokenHash, CompletableFuture<VerifiedToken>> inFlight = new ConcurrentHashMap<>();
  private final SharedAnswers shared; // null when answers are not shared

  OpaqueTokens(TrustedIssuer config, Discovery discovery, IssuerHttp http, Clock clock,
      Lazy<Cache<TokenHash, VerifiedToken>> cache, ValidationListener listener, SharedOnlineCache sharedCache, Duration ttl) {
    this.listener = listener;
    this.shared = sharedCache == null ? null
        : new SharedAnswers(sharedCache, config.issuer, ttl, http.callTimeout(), clock, listener);
    this.config = config;
    this.discovery = discovery;
    this.http = http;
    this.clock = clock;
    this.waitTimeout = http.callTimeout().multipliedBy(2);
    // a request joining another's call also waits out that call's wait for another replica's answer
    this.joinTimeout = sharedCache == null ? waitTimeout : waitTimeout.plus(http.callTimeout());
    this.cache = cache;
  }

  /** The answers cache, shared by the issuers: bounded in size and time, and never kept past a token's exp. */
  static Cache<TokenHash, VerifiedToken> newCache(AccessTokenValidator.Settings settings, Clock clock, Ticker ticker) {
    long ttlNanos = settings.onlineCacheTtl.toNanos();
    return Caffeine.newBuilder()
        .maximumSize(Math.max(1, settings.onlineCacheSize))
        .expireAfter(Expiry.creating((TokenHash k, VerifiedToken v) -> {
          // in milliseconds; an entry past exp is refused on read anyway (notExpired)
          long expMillis = millisOf(v.expiresAtSeconds());
          long untilExpiry = TimeUnit.MILLISECONDS.toNanos(Math.max(0, expMillis - Math.min(clock.millis(), expMillis)));
          return Duration.ofNanos(Math.max(0, Math.min(ttlNanos, untilExpiry)));
        }))
        .ticker(ticker)
        .build();
  }

  /** Validates a token by asking the issuer with the given policy; cached per token hash. */
  VerifiedToken check(String token, OpaqueTokenPolicy policy) throws TokenValidationException {
    TokenHash key = TokenHash.of(token);
    VerifiedToken cached = cache.get().getIfPresent(key);
    if (cached != null) {
      if (listener != null) {
        listener.onlineCacheHit(config.issuer);
      }
      return notExpired(key, cached);
    }
    if (listener != null) {
      listener.onlineCacheMiss(config.issuer);
    }
    CompletableFuture<VerifiedToken> mine = new CompletableFuture<>();
    CompletableFuture<VerifiedToken> other = inFlight.putIfAbsent(key, mine); // the map's lock is held for the insert only
    if (other != null) {
      return notExpired(key, await(other));
    }
    SharedAnswers.Lookup lookup = null;
    try {
      VerifiedToken answer = cache.get().getIfPresent(key); // a call for this token may have ended a moment ago
      if (answer == null && shared != null) {
        lookup = shared.lookup(token, policy); // may wait for the replica that is asking the issuer
        if (lookup.stored != null) {
          answer = fromShared(key, lookup.stored, policy);
        }
      }
      if (answer == null) {
        if (listener != null) {
          listener.onlineCall(config.issuer, policy);
        }
        answer = policy == OpaqueTokenPolicy.INTROSPECT ? introspect(token) : userinfo(token);
        cache.get().put(key, answer); // only answers are cached, never failures
        if (lookup != null) {
          lookup.share(answer);
        }
      }
      mine.complete(answer);
      return notExpired(key, answer);
    } catch (TokenValidationException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      if (lookup != null) {
        lookup.release(); // after the answer is stored: a replica that takes the lock next finds it
      }
      inFlight.remove(key, mine);
    }
  }

  /**
   * The answer another replica stored, checked again as the issuer's own would be and cached locally
   * until the shared entry ends. An answer that now fails a check (say, this replica trusts another audience) is a refusal, as it would
   * have been from the issuer.
   */
  private VerifiedToken fromShared(TokenHash key, SharedAnswers.Stored stored, OpaqueTokenPolicy policy)
      throws TokenValidationException {
    VerifiedToken answer = policy == OpaqueTokenPolicy.INTROSPECT ? introspectionAnswer(stored.claims())
        : userinfoAnswer(stored.claims());
    cache.get().policy().expireVariably().ifPresentOrElse(
        v -> v.put(key, answer, stored.remaining()), () -> cache.get().put(key, answer));
    return answer;
  }

  /**
   * The shared answer; a request that joined another's call waits at most twice the call timeout, and
   * one call timeout more when answers are shared across replicas.
   */
  private VerifiedToken await(CompletableFuture<VerifiedToken> answer) throws TokenValidationException {
    try {
      return answer.get(joinTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TokenValidationException t) {
        throw new TokenValidationException(t.reason(), t.getMessage(), t.requiredScope().orElse(null),
            t.retryAfter().orElse(null), null);
      }
      throw new IllegalStateException("asking the issuer failed", e.getCause());
    } catch (TimeoutException e) {
      throw TokenValidationException.unavailable("the issuer's answer about this token is still pending; retry later",
          Duration.ofSeconds(5), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TokenValidationException.unavailable("interrupted while waiting for the issuer's answer", Duration.ofSeconds(5),
          null);
    }
  }

  /**
   * A cached answer is used only strictly before the token's {@code exp}, to the millisecond (RFC 7519
   * section 4.1.4): the cache's own expiry is a bound on memory, not the check.
   */
  private VerifiedToken notExpired(TokenHash key, VerifiedToken answer) throws TokenValidationException {
    long exp = answer.expiresAtSeconds();
    if (exp != Long.MAX_VALUE && clock.millis() >= millisOf(exp)) {
      cache.get().invalidate(key);
      throw new TokenValidationException(Reason.EXPIRED, "the issuer's cached introspection answer says the token "
          + "expired at " + exp);
    }
    return answer;
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
    return userinfoAnswer(parse(answer, "userinfo"));
  }

  private VerifiedToken userinfoAnswer(Map<String, Object> claims) {
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
    return introspectionAnswer(parse(answer, "introspection"));
  }

  /** The checks an introspection answer must pass, whether it came from the issuer now or from the shared cache. */
  private VerifiedToken introspectionAnswer(Map<String, Object> claims) throws TokenValidationException {
    if (!Boolean.TRUE.equals(claims.get("active"))) {
      throw new TokenValidationException(Reason.INACTIVE,
          "the issuer's introspection endpoint says the token is not active (expired, revoked or unknown)");
    }
    Object tokenType = claims.get("token_type");
    if (tokenType != null && !isAccessTokenType(tokenType)) {
      throw new TokenValidationException(Reason.WRONG_TYPE, "introspection says the token's token_type is "
          + Json.shown(String.valueOf(tokenType)) + ", not an access token (access_token, Bearer or DPoP)");
    }
    long exp = claims.get("exp") instanceof Number n ? n.longValue() : Long.MAX_VALUE;
    if (exp != Long.MAX_VALUE && clock.millis() >= millisOf(exp)) {
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

  /**
   * RFC 7662 {@code token_type}: an access token is {@code Bearer} or {@code DPoP} (RFC 6749 section 7.1
   * types, case-insensitive) or {@code access_token}, the type hint this API sent. A refresh or ID
   * token the issuer calls active must not pass for one.
   */
  private static boolean isAccessTokenType(Object tokenType) {
    if (!(tokenType instanceof String t)) {
      return false;
    }
    return t.equalsIgnoreCase("Bearer") || t.equalsIgnoreCase("DPoP") || t.equals("access_token");
  }

  private interface HttpCall {
    IssuerHttp.Answer run() throws IOException;
  }

  private IssuerHttp.Answer call(HttpCall call, String what) throws TokenValidationException {
    IssuerHttp.Answer answer;
    try {
      answer = call.run();
    } catch (IOException e) {
      throw TokenValidationException.unavailable("the issuer's " + what + " endpoint failed: " + Refresher.describe(e)
          + "; retry later", Duration.ofSeconds(5), null);
    }
    if (answer.redirect()) {
      throw TokenValidationException.unavailable("the issuer's " + what + " endpoint answered a redirect (HTTP "
          + answer.code() + "), which is never followed for a call that carries a token; configure the endpoint's "
          + "final URL", Duration.ofSeconds(5), null);
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

  /** Epoch seconds to epoch milliseconds, saturating instead of overflowing. */
  static long millisOf(long epochSeconds) {
    if (epochSeconds >= Long.MAX_VALUE / 1000) {
      return Long.MAX_VALUE;
    }
    return epochSeconds <= Long.MIN_VALUE / 1000 ? Long.MIN_VALUE : epochSeconds * 1000;
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
