package dev.tokenward.core;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Finds the bearer token in a request, exactly as RFC 6750 section 2 allows, for every web
 * framework: the filters hand it the raw header and parameter values and get back the token, no
 * token, or an {@link Reason#INVALID_REQUEST} failure.
 *
 * <p>The {@code Authorization} scheme is matched case-insensitively. The form-body and
 * {@code access_token} query parameter are ignored unless enabled (query tokens leak into logs).
 * An empty value, characters outside {@code b64token}, several {@code Authorization} headers or a
 * token in more than one place are refused; another scheme such as {@code Basic} is "no token".
 */
public final class BearerTokenExtractor {
  private final boolean allowQueryParameter;
  private final boolean allowFormParameter;

  private BearerTokenExtractor(boolean allowQueryParameter, boolean allowFormParameter) {
    this.allowQueryParameter = allowQueryParameter;
    this.allowFormParameter = allowFormParameter;
  }

  /** Header only: the secure default. */
  public static BearerTokenExtractor headerOnly() {
    return new BearerTokenExtractor(false, false);
  }

  /** Also accept {@code access_token} in the query string and/or a form-encoded body. */
  public static BearerTokenExtractor of(boolean allowQueryParameter, boolean allowFormParameter) {
    return new BearerTokenExtractor(allowQueryParameter, allowFormParameter);
  }

  public boolean allowsQueryParameter() {
    return allowQueryParameter;
  }

  /** Callers read the form body (which consumes it) only when this is true. */
  public boolean allowsFormParameter() {
    return allowFormParameter;
  }

  /** From the {@code Authorization} header values only. */
  public Optional<String> extract(Collection<String> authorizationHeaders) throws TokenValidationException {
    return extract(authorizationHeaders, List.of(), List.of());
  }

  /**
   * The token, or empty when the request carries no bearer credentials at all.
   *
   * @param authorizationHeaders every {@code Authorization} header value (null or empty for none)
   * @param queryValues every {@code access_token} query value (ignored unless enabled)
   * @param formValues every {@code access_token} form value (ignored unless enabled)
   */
  public Optional<String> extract(Collection<String> authorizationHeaders, List<String> queryValues,
      List<String> formValues) throws TokenValidationException {
    String header = headerToken(authorizationHeaders);
    String parameter = parameterToken(queryValues, formValues, header != null);
    return Optional.ofNullable(header != null ? header : parameter);
  }

  /**
   * The {@code Authorization} values a filter puts in its {@link TokenRequest}, one rule for every
   * web framework: the header as it came, unless the token is in the query or the form body; then
   * that token as a {@code Bearer} credential, or 400 {@code invalid_request} when the header
   * carries credentials too. Parameters count only where this extractor allows them.
   *
   * @param authorizationHeaders every {@code Authorization} header value (null or empty for none)
   * @param queryValues every {@code access_token} query value (null when not read)
   * @param formValues every {@code access_token} form value (null when not read)
   */
  public List<String> authorization(List<String> authorizationHeaders, List<String> queryValues,
      List<String> formValues) throws TokenValidationException {
    String header = headerToken(authorizationHeaders); // the header is read once, for both questions
    String parameter = parameterToken(queryValues, formValues, header != null);
    if (parameter == null) { // the token is in the header, or nowhere
      return authorizationHeaders;
    }
    if (authorizationHeaders != null && !authorizationHeaders.isEmpty()) { // another scheme beside a parameter's token
      throw invalid("the request carries credentials in the Authorization header and a token in a parameter; "
          + "send exactly one");
    }
    return List.of("Bearer " + parameter);
  }

  /** The {@code Bearer} token of the one {@code Authorization} header, or null for none or another scheme. */
  private static String headerToken(Collection<String> authorizationHeaders) throws TokenValidationException {
    if (authorizationHeaders == null || authorizationHeaders.isEmpty()) {
      return null;
    }
    if (authorizationHeaders.size() > 1) {
      throw invalid("the request has " + authorizationHeaders.size() + " Authorization headers; send exactly one");
    }
    String header = authorizationHeaders.iterator().next();
    return fromHeader(header == null ? "" : header);
  }

  /**
   * The token of an allowed parameter, or null for none; every value is checked, then more than
   * one token, counting the header's, is refused.
   */
  private String parameterToken(List<String> queryValues, List<String> formValues, boolean inHeader)
      throws TokenValidationException {
    String token = null;
    int found = inHeader ? 1 : 0;
    if (allowQueryParameter && queryValues != null) {
      for (String v : queryValues) {
        token = checkedValue(v, "the access_token query parameter");
        found++;
      }
    }
    if (allowFormParameter && formValues != null) {
      for (String v : formValues) {
        token = checkedValue(v, "the access_token form parameter");
        found++;
      }
    }
    if (found > 1) {
      throw invalid("the request carries a token in more than one place; RFC 6750 allows exactly one");
    }
    return token;
  }

  /** The token of a {@code Bearer} header, or null for another scheme. */
  private static String fromHeader(String header) throws TokenValidationException {
    String h = header.strip();
    int space = h.indexOf(' ');
    String scheme = space < 0 ? h : h.substring(0, space);
    if (!scheme.equalsIgnoreCase("Bearer")) {
      return null;
    }
    String value = space < 0 ? "" : h.substring(space + 1).stripLeading();
    return checkedValue(value, "the Authorization header");
  }

  private static String checkedValue(String value, String where) throws TokenValidationException {
    if (value == null || value.isEmpty()) {
      throw invalid("empty token in " + where);
    }
    if (!isB64Token(value)) {
      throw invalid("a character outside the RFC 6750 b64token alphabet in " + where);
    }
    return value;
  }

  /**
   * RFC 6750 section 2.1 {@code b64token} (RFC 9110 {@code token68}):
   * {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}; the one check of it in core.
   */
  static boolean isB64Token(String value) {
    int i = 0;
    int n = value.length();
    while (i < n && isB64TokenChar(value.charAt(i))) {
      i++;
    }
    if (i == 0) {
      return false;
    }
    while (i < n && value.charAt(i) == '=') {
      i++;
    }
    return i == n;
  }

  /**
   * A table, not a chain of ranges: every request's token is read character by character, and a
   * JWT's characters fall in those ranges at random, so the chain's branches were mispredicted
   * often enough to make this check cost more than the SHA-256 of the same token.
   */
  private static final boolean[] B64TOKEN_CHARS = new boolean[128];

  static {
    for (char c = 'A'; c <= 'Z'; c++) {
      B64TOKEN_CHARS[c] = true;
      B64TOKEN_CHARS[Character.toLowerCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      B64TOKEN_CHARS[c] = true;
    }
    for (char c : "-._~+/".toCharArray()) {
      B64TOKEN_CHARS[c] = true;
    }
  }

  private static boolean isB64TokenChar(char c) {
    return c < 128 && B64TOKEN_CHARS[c];
  }

  private static TokenValidationException invalid(String description) {
    return new TokenValidationException(Reason.INVALID_REQUEST, description);
  }
}
