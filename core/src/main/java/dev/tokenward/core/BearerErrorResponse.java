package dev.tokenward.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The RFC 6750 section 3 and RFC 9449 section 7.1 answer to a refused request, built in this one
 * place for every filter: the status, the {@code WWW-Authenticate} {@code Bearer} and/or {@code DPoP}
 * challenge, {@code DPoP-Nonce} when a server nonce is offered, {@code Cache-Control: no-store},
 * {@code Retry-After} for an unavailable issuer, and a JSON body with {@code error} and
 * {@code error_description}.
 *
 * <p>A request with no credentials at all ({@link Reason#MISSING_TOKEN}) gets no error information,
 * as RFC 6750 section 3.1 asks: the challenge is only {@code Bearer realm="..."} (and, where DPoP is
 * allowed, {@code DPoP realm="...", algs="..."}) and the body is
 * {@code {"message": "..."}}, a hint for a human, not an {@code error}. Descriptions are reduced to
 * the characters RFC 6750 permits in a quoted parameter, and never contain the token.
 */
public final class BearerErrorResponse {
  /** The realm used when a filter is not configured with one. */
  public static final String DEFAULT_REALM = "tokenward";

  private final int status;
  private final Map<String, String> headers;
  private final String body;
  private final List<String> challenges;

  private BearerErrorResponse(int status, Map<String, String> headers, String body, List<String> challenges) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.challenges = challenges;
  }

  /**
   * The answer for a failure, with the given realm. A failure from
   * {@link AccessTokenValidator#validate(TokenRequest)} may ask for a {@code DPoP} challenge (RFC 9449
   * section 7.1) instead of, or beside, the {@code Bearer} one, and for a {@code DPoP-Nonce} header.
   */
  public static BearerErrorResponse of(TokenValidationException failure, String realm) {
    return of(failure, realm, null);
  }

  /**
   * The answer for a failure, with the given realm and the {@code resource_metadata} parameter
   * (RFC 9728 section 5.1): the absolute URL of the resource's metadata document, see
   * {@link ProtectedResourceMetadata#metadataUrl()}; null leaves it out.
   */
  public static BearerErrorResponse of(TokenValidationException failure, String realm, String resourceMetadata) {
    Objects.requireNonNull(failure, "failure");
    String description = sanitize(failure.description());
    String error = failure.errorCode();
    Challenge wanted = failure.challenge();
    StringBuilder params = new StringBuilder();
    StringBuilder json = new StringBuilder("{");
    if (failure.reason() == Reason.MISSING_TOKEN) {
      // RFC 6750 section 3.1: no error code nor description when the request had no credentials
      json.append("\"message\":").append(Json.quote(description));
    } else {
      if (error != null) {
        params.append(", error=\"").append(error).append('"');
        json.append("\"error\":").append(Json.quote(error)).append(',');
      }
      params.append(", error_description=\"").append(description).append('"');
      json.append("\"error_description\":").append(Json.quote(description));
      failure.requiredScope().ifPresent(scope -> params.append(", scope=\"").append(sanitize(scope)).append('"'));
      failure.acrValues().ifPresent(acr -> params.append(", acr_values=\"").append(sanitize(acr)).append('"'));
      failure.maxAge().ifPresent(age -> params.append(", max_age=\"").append(age).append('"'));
    }
    if (resourceMetadata != null) {
      params.append(", resource_metadata=\"").append(sanitize(resourceMetadata)).append('"');
    }
    json.append('}');

    List<String> challenges = new ArrayList<>(2);
    if (wanted.bearer()) {
      challenges.add("Bearer realm=\"" + sanitize(realm) + '"' + params);
    }
    if (wanted.dpop()) {
      challenges.add("DPoP realm=\"" + sanitize(realm) + "\", algs=\"" + sanitize(wanted.algs()) + '"' + params);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("WWW-Authenticate", String.join(", ", challenges));
    headers.put("Cache-Control", "no-store");
    headers.put("Content-Type", "application/json");
    failure.retryAfter().ifPresent(d -> headers.put("Retry-After", Long.toString(Math.max(1, d.toSeconds()))));
    if (failure.httpStatus() == 503 && !headers.containsKey("Retry-After")) {
      headers.put("Retry-After", "5");
    }
    if (wanted.nonce() != null) {
      headers.put("DPoP-Nonce", wanted.nonce());
    }
    return new BearerErrorResponse(failure.httpStatus(), Collections.unmodifiableMap(headers), json.toString(),
        List.copyOf(challenges));
  }

  /**
   * The answer for a request without any bearer token: 401, the challenge {@code Bearer realm="..."}
   * alone and the body {@code {"message": "..."}} (RFC 6750 section 3.1).
   */
  public static BearerErrorResponse missingToken(String realm) {
    return missingToken(realm, null);
  }

  /** The answer for a request without any bearer token, pointing to the resource's metadata (RFC 9728 section 5.1; null leaves it out). */
  public static BearerErrorResponse missingToken(String realm, String resourceMetadata) {
    return of(new TokenValidationException(Reason.MISSING_TOKEN,
        "this resource requires a bearer access token in the Authorization header"), realm, resourceMetadata);
  }

  /** 400, 401, 403 or 503. */
  public int status() {
    return status;
  }

  /**
   * Headers to set, in order: {@code WWW-Authenticate}, {@code Cache-Control}, {@code Content-Type},
   * {@code Retry-After} for 503, and {@code DPoP-Nonce} when the validator offers a server nonce.
   */
  public Map<String, String> headers() {
    return headers;
  }

  /** The {@code WWW-Authenticate} value: the challenges joined by a comma (RFC 9110 section 11.6.1). */
  public String challenge() {
    return headers.get("WWW-Authenticate");
  }

  /**
   * Each challenge on its own ({@code Bearer}, {@code DPoP}, or both for a request without
   * credentials where DPoP is allowed), for a filter that writes one {@code WWW-Authenticate} header
   * per challenge, which more clients parse than a comma-joined one.
   */
  public List<String> challenges() {
    return challenges;
  }

  /** The JSON body, {@code application/json}. */
  public String body() {
    return body;
  }

  /** RFC 6750 allows %x20-21 / %x23-5B / %x5D-7E inside error_description and scope. */
  private static String sanitize(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : (c == '"' ? '\'' : '?'));
    }
    return b.toString();
  }
}
