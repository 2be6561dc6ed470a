package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 3986 sections 6.2.2 and 6.2.3, as applied to a DPoP proof's {@code htu} and the request URI. */
class HtuTest {
  @ParameterizedTest
  @CsvSource({
      "https://api.example.com/orders, https://api.example.com/orders",
      "HTTPS://API.Example.COM/orders, https://api.example.com/orders",
      "https://api.example.com:443/orders, https://api.example.com/orders",
      "http://api.example.com:80/orders, http://api.example.com/orders",
      "https://api.example.com:8443/orders, https://api.example.com:8443/orders",
      "https://api.example.com:/orders, https://api.example.com/orders",
      "https://api.example.com, https://api.example.com/",
      "https://api.example.com/orders?x=1#f, https://api.example.com/orders",
      "https://api.example.com/a/./b/../orders, https://api.example.com/a/orders",
      "https://api.example.com/%7euser/%2fx, https://api.example.com/~user/%2Fx",
      "https://api.example.com/%41%62c, https://api.example.com/Abc",
      "https://[::1]:8080/x, https://[::1]:8080/x",
      "https://api.example.com/Orders, https://api.example.com/Orders",
      "https://api.example.com:0443/orders, https://api.example.com/orders",
      "http://api.example.com:00080/orders, http://api.example.com/orders",
      "https://api.example.com:08443/orders, https://api.example.com:8443/orders",
      "https://api.example.com:0/orders, https://api.example.com:0/orders",
      "https://api.example.com:000/orders, https://api.example.com:0/orders",
  })
  void normalizeWhenSpelledOtherwiseThenTheOneForm(String in, String out) {
    assertThat(Htu.normalize(in)).isEqualTo(out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"urn:a:b", "/orders", "ftp://a.b/c", "https://user@api.example.com/", "https:///x",
      "https://api.example.com/%zz", "https://api.example.com:99999999/x", "not a uri",
      "https://api.example.com:8a/x", "https://api.example.com:-1/x", "https://api.example.com:+443/x"})
  void normalizeWhenNotAnAbsoluteHttpUriThenRefused(String in) {
    assertThatThrownBy(() -> Htu.normalize(in)).isInstanceOf(IllegalArgumentException.class);
  }
}
