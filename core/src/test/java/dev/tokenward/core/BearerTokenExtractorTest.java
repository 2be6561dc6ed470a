package dev.tokenward.core;

import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BearerTokenExtractorTest {
  private final BearerTokenExtractor headerOnly = BearerTokenExtractor.headerOnly();
  private final BearerTokenExtractor withQuery = BearerTokenExtractor.of(true, false);

  @Test
  void extractWhenSchemeInAnyCaseThenToken() throws Exception {
    assertThat(headerOnly.extract(List.of("Bearer abc.def-_~+/=="))).contains("abc.def-_~+/==");
    assertThat(headerOnly.extract(List.of("bearer abc"))).contains("abc");
    assertThat(headerOnly.extract(List.of("BEARER  abc"))).contains("abc");
  }

  @Test
  void extractWhenNoHeaderOrOtherSchemeThenEmpty() throws Exception {
    assertThat(headerOnly.extract(List.of())).isEmpty();
    assertThat(headerOnly.extract(null)).isEmpty();
    assertThat(headerOnly.extract(List.of("Basic dXNlcjpwYXNz"))).isEmpty();
    assertThat(headerOnly.extract(List.of("Bearerabc"))).isEmpty();
  }

  @Test
  void extractWhenEmptyBearerValueThenInvalidRequest() {
    assertRefused(() -> headerOnly.extract(List.of("Bearer")), Reason.INVALID_REQUEST)
        .hasMessage("empty token in the Authorization header");
    assertRefused(() -> headerOnly.extract(List.of("Bearer   ")), Reason.INVALID_REQUEST);
  }

  @Test
  void extractWhenCharactersOutsideB64TokenThenInvalidRequest() {
    for (String bad : new String[] {"Bearer a b", "Bearer a\"b", "Bearer a,b", "Bearer =abc", "Bearer ab=c", "Bearer é"}) {
      assertRefused(() -> headerOnly.extract(List.of(bad)), Reason.INVALID_REQUEST)
          .hasMessageContaining("b64token");
    }
  }

  @Test
  void extractWhenTwoAuthorizationHeadersThenInvalidRequest() {
    assertRefused(() -> headerOnly.extract(List.of("Bearer a", "Bearer b")), Reason.INVALID_REQUEST)
        .hasMessageContaining("2 Authorization headers");
  }

  @Test
  void extractWhenQueryTokenAndQueryDisabledThenIgnored() throws Exception {
    assertThat(headerOnly.extract(List.of(), List.of("abc"), List.of())).isEmpty();
  }

  @Test
  void extractWhenQueryEnabledThenQueryTokenAcceptedButNotAlongsideHeader() throws Exception {
    assertThat(withQuery.extract(List.of(), List.of("abc"), List.of())).contains("abc");
    assertRefused(() -> withQuery.extract(List.of("Bearer abc"), List.of("abc"), List.of()), Reason.INVALID_REQUEST)
        .hasMessageContaining("more than one place");
    assertRefused(() -> withQuery.extract(List.of(), List.of("a", "b"), List.of()), Reason.INVALID_REQUEST);
    assertRefused(() -> withQuery.extract(List.of(), List.of(""), List.of()), Reason.INVALID_REQUEST);
  }

  @Test
  void extractWhenFormEnabledThenFormTokenAccepted() throws Exception {
    assertThat(BearerTokenExtractor.of(false, true).extract(List.of(), List.of(), List.of("abc"))).contains("abc");
  }

  @Test
  void authorizationWhenTokenInTheHeaderOrNowhereThenTheHeaderAsItCame() throws Exception {
    BearerTokenExtractor both = BearerTokenExtractor.of(true, true);
    assertThat(both.authorization(List.of("Bearer abc"), List.of(), List.of())).containsExactly("Bearer abc");
    assertThat(both.authorization(List.of("Basic dXNlcg=="), null, null)).containsExactly("Basic dXNlcg==");
    assertThat(both.authorization(List.of(), null, null)).isEmpty();
  }

  @Test
  void authorizationWhenTokenInAnAllowedParameterThenABearerCredential() throws Exception {
    assertThat(BearerTokenExtractor.of(true, false).authorization(List.of(), List.of("abc"), null))
        .containsExactly("Bearer abc");
    assertThat(BearerTokenExtractor.of(false, true).authorization(List.of(), null, List.of("abc")))
        .containsExactly("Bearer abc");
    assertThat(BearerTokenExtractor.of(false, true).authorization(List.of(), List.of("abc"), null))
        .as("query not allowed: ignored").isEmpty();
  }

  @Test
  void authorizationWhenOtherSchemeBesideAParameterTokenThenInvalidRequest() {
    assertRefused(() -> BearerTokenExtractor.of(true, true).authorization(List.of("Basic dXNlcg=="), List.of("abc"), null),
        Reason.INVALID_REQUEST);
    assertRefused(() -> BearerTokenExtractor.of(true, true).authorization(List.of("Bearer abc"), List.of("abc"), null),
        Reason.INVALID_REQUEST);
  }

  @Test
  void authorizationWhenBearerHeaderBesideAParameterTokenThenRefusedAsTwoPlaces() {
    BearerTokenExtractor both = BearerTokenExtractor.of(true, true);
    assertRefused(() -> both.authorization(List.of("Bearer abc"), List.of("def"), null), Reason.INVALID_REQUEST)
        .hasMessage("the request carries a token in more than one place; RFC 6750 allows exactly one");
    assertRefused(() -> both.authorization(List.of("Bearer abc"), null, List.of("def")), Reason.INVALID_REQUEST)
        .hasMessage("the request carries a token in more than one place; RFC 6750 allows exactly one");
    assertRefused(() -> both.authorization(List.of(), List.of("abc"), List.of("abc")), Reason.INVALID_REQUEST)
        .hasMessage("the request carries a token in more than one place; RFC 6750 allows exactly one");
    assertRefused(() -> both.authorization(List.of("Basic dXNlcg=="), null, List.of("abc")), Reason.INVALID_REQUEST)
        .hasMessage("the request carries credentials in the Authorization header and a token in a parameter; "
            + "send exactly one");
  }

  @Test
  void authorizationWhenAHeaderOrAParameterIsMalformedThenItIsNamedFirstInOrder() {
    BearerTokenExtractor both = BearerTokenExtractor.of(true, true);
    assertRefused(() -> both.authorization(List.of("Bearer a", "Bearer b"), List.of("abc"), null), Reason.INVALID_REQUEST)
        .hasMessage("the request has 2 Authorization headers; send exactly one");
    assertRefused(() -> both.authorization(List.of("Bearer"), List.of("abc"), null), Reason.INVALID_REQUEST)
        .hasMessage("empty token in the Authorization header");
    assertRefused(() -> both.authorization(List.of("Bearer abc"), List.of(""), null), Reason.INVALID_REQUEST)
        .as("a malformed parameter is named before the count of places")
        .hasMessage("empty token in the access_token query parameter");
    assertRefused(() -> both.authorization(List.of(), null, List.of("a b")), Reason.INVALID_REQUEST)
        .hasMessage("a character outside the RFC 6750 b64token alphabet in the access_token form parameter");
  }

  @Test
  void authorizationWhenParameterNotAllowedThenItNeitherCountsNorIsChecked() throws Exception {
    assertThat(BearerTokenExtractor.of(false, true).authorization(List.of("Bearer abc"), List.of("a b"), null))
        .containsExactly("Bearer abc");
    assertThat(BearerTokenExtractor.of(true, false).authorization(List.of("Basic dXNlcg=="), null, List.of("abc")))
        .containsExactly("Basic dXNlcg==");
  }

  @Test
  void authorizationWhenHeadersAreNullThenAParameterTokenIsABearerCredential() throws Exception {
    assertThat(BearerTokenExtractor.of(true, false).authorization(null, List.of("abc"), null))
        .containsExactly("Bearer abc");
    assertThat(BearerTokenExtractor.of(true, false).authorization(null, null, null)).isNull();
  }

  @Test
  void authorizationWhenParametersAllowedThenTheHeaderIsReadOnce() throws Exception {
    int[] reads = new int[1];
    List<String> header = new java.util.AbstractList<>() {
      @Override
      public String get(int index) {
        reads[0]++;
        return "Bearer abc";
      }

      @Override
      public int size() {
        return 1;
      }
    };
    assertThat(BearerTokenExtractor.of(true, true).authorization(header, List.of(), List.of())).isSameAs(header);
    assertThat(reads[0]).isEqualTo(1);
  }

  @Test
  void isB64TokenWhenEveryCharacterIsTriedThenExactlyRfc6750sAlphabetPasses() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/";
    int passed = 0;
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      boolean inAlphabet = alphabet.indexOf(c) >= 0;
      String inside = "a" + (char) c + "b";
      assertThat(BearerTokenExtractor.isB64Token(inside)).as("U+%04X inside a token", c).isEqualTo(inAlphabet);
      assertThat(BearerTokenExtractor.isB64Token((char) c + "ab")).as("U+%04X first", c).isEqualTo(inAlphabet);
      assertThat(BearerTokenExtractor.isB64Token("ab" + (char) c)).as("U+%04X last", c).isEqualTo(inAlphabet || c == '=');
      passed += inAlphabet ? 1 : 0;
    }
    assertThat(passed).isEqualTo(68);
    assertThat(BearerTokenExtractor.isB64Token("ab==")).isTrue(); // padding only at the end
    assertThat(BearerTokenExtractor.isB64Token("a=b")).isFalse();
    assertThat(BearerTokenExtractor.isB64Token("==")).isFalse();
    assertThat(BearerTokenExtractor.isB64Token("")).isFalse();
  }
}
