package dev.tokenward.core;

import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code Authorization} header's token on the request-level path: the RFC 6750 b64token check
 * is skipped for a token the cache holds (it passed the check to get there) and never otherwise,
 * so whether a token was seen before never changes the answer.
 */
class RequestTokenCheckTest {
  private static final String URI = "https://api.tokenward.test/orders";
  private final FakeIssuer issuer = new FakeIssuer();

  @AfterEach
  void stop() throws Exception {
    issuer.close();
  }

  private AccessTokenValidator validator(boolean tokenCache) {
    AccessTokenValidator.Builder b = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE);
    if (!tokenCache) {
      b.disableTokenCache();
    }
    return b.build();
  }

  private static TokenRequest bearer(String token) {
    return TokenRequest.builder("GET", URI).authorization("Bearer " + token).build();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void validateWhenTheHeadersTokenHasACharacterOutsideB64TokenThenInvalidRequestCachedTwinOrNot(boolean tokenCache)
      throws Exception {
    AccessTokenValidator validator = validator(tokenCache);
    String token = issuer.jwt().sign();
    assertThat(validator.validate(bearer(token)).subject()).isNotNull(); // its twin is verified (and cached)
    assertThat(validator.validate(bearer(token)).subject()).isNotNull(); // a hit: the check skipped, same answer
    for (String twin : new String[] {token + "!", token.replace('.', ','), token + "\u00e9", "\u00e9" + token,
        token.substring(0, 10) + "\u0100" + token.substring(11)}) { // a char above U+00FF: '?' in the hashed bytes
      assertRefused(() -> validator.validate(bearer(twin)), Reason.INVALID_REQUEST)
          .hasMessageContaining("b64token alphabet in the Authorization header");
    }
    assertThat(validator.validate(bearer(token)).subject()).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void validateWhenTheHeadersTokenIsLongerThanTheLimitThenMalformedAndItsTwinInvalidRequest(boolean tokenCache) {
    AccessTokenValidator validator = validator(tokenCache);
    String token = issuer.jwt().claim("pad", "x".repeat(20_000)).sign();
    assertRefused(() -> validator.validate(bearer(token)), Reason.MALFORMED).hasMessageContaining("more than the limit");
    assertRefused(() -> validator.validate(bearer(token + "!")), Reason.INVALID_REQUEST);
  }
}
