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
}
