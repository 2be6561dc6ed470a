package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TokenRequest.Builder}: the method and URI a filter passes are checked when given. */
class TokenRequestTest {

  @ParameterizedTest
  @ValueSource(strings = {"GET", "POST", "PATCH", "M-SEARCH", "x!#$%&'*+.^_`|~9"})
  void builderWhenMethodIsAnHttpTokenThenKeptAsReceived(String method) {
    assertThat(TokenRequest.builder(method, "https://api.example.com/orders?page=2").build().method()).isEqualTo(method);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "G ET", "GET\r\n", "GÉT", "(GET)", "GET/1"})
  void builderWhenMethodIsNotAnHttpTokenThenRefusedNamingIt(String method) {
    assertThatThrownBy(() -> TokenRequest.builder(method, "https://api.example.com/"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("method: must be an HTTP method token");
  }

  @Test
  void builderWhenUriIsRelativeOrNotHttpThenRefusedNamingIt() {
    assertThatThrownBy(() -> TokenRequest.builder("GET", "/orders"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("uri: must be an absolute http or https URI");
    assertThatThrownBy(() -> TokenRequest.builder("GET", "ftp://api.example.com/"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("uri: must be an absolute http or https URI");
    assertThatThrownBy(() -> TokenRequest.builder("GET", "https://api.example.com/a b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("uri: not a valid URI");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:8080/api/private", "https://api.example.com", "https://api.example.com/",
      "https://api.example.com:443/orders?page=2&sort=-date", "http://localhost/a/b%2Fc;x=1?q=a:b@c/d?e",
      "https://a-b.example.com/~user/(1)!*'$,+="})
  void builderWhenUriIsPlainThenItsParseWaitsAndGivesWhatAnEagerParseGives(String uri) throws Exception {
    assertThat(TokenRequest.Builder.isPlainHttpUri(uri)).isTrue();
    TokenRequest request = TokenRequest.builder("GET", uri).build();
    assertThat(request.uri()).isEqualTo(new java.net.URI(uri));
    assertThat(request.uri()).isSameAs(request.uri());
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP://api.example.com/", "https://[::1]/", "https://api.example.com/#frag",
      "https://api.example.com/a%2", "https://api.example.com/a%zz", "https://api.example.com:/", "https://:443/",
      "https://api.example.com:123456/", "https:///path", "https://user@api.example.com/", "https://api.example.com/\\",
      "https://api.example.com/a b", "https://api.example.com/\u00e9", "https://api.example.com/{x}", "https://"})
  void builderWhenUriIsNotPlainThenParsedAtOnceAsBefore(String uri) {
    assertThat(TokenRequest.Builder.isPlainHttpUri(uri)).isFalse();
    boolean valid;
    try {
      java.net.URI parsed = new java.net.URI(uri);
      valid = parsed.getRawAuthority() != null && parsed.getScheme() != null
          && (parsed.getScheme().equalsIgnoreCase("http") || parsed.getScheme().equalsIgnoreCase("https"));
    } catch (java.net.URISyntaxException e) {
      valid = false;
    }
    if (valid) {
      assertThat(TokenRequest.builder("GET", uri).build().uri()).isEqualTo(java.net.URI.create(uri));
    } else {
      assertThatThrownBy(() -> TokenRequest.builder("GET", uri)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("uri: ");
    }
  }

  /**
   * The parse of a plain URI waits, so the check must never let through a string the parse refuses:
   * strings built from every character the check allows, and some it does not, in every position.
   */
  @Test
  void isPlainHttpUriWhenTrueThenTheUriAlwaysParsesWithSchemeAndAuthority() throws Exception {
    String alphabet = "ABCZabcz0189-._~!$&'()*+,;=:@/?%FfGg#[] \\\u00e9\"<>{}|^`"; // a backslash, a non-ASCII letter, a quote
    java.util.Random random = new java.util.Random(11);
    int plain = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder b = new StringBuilder(random.nextBoolean() ? "https://" : "http://");
      int length = random.nextInt(24);
      for (int j = 0; j < length; j++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String uri = b.toString();
      if (TokenRequest.Builder.isPlainHttpUri(uri)) {
        plain++;
        java.net.URI parsed = new java.net.URI(uri); // throws if the check was wrong
        assertThat(parsed.getRawAuthority()).as(uri).isNotNull();
        assertThat(parsed.getScheme()).as(uri).isIn("http", "https");
        assertThat(parsed.getRawFragment()).as(uri).isNull();
        assertThat(TokenRequest.builder("GET", uri).build().uri()).as(uri).isEqualTo(parsed);
      }
    }
    assertThat(plain).isGreaterThan(5_000); // the generator reaches the plain form often enough to mean something
  }
}
