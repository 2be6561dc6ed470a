package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TokenJsonTest {

  private static Map<String, Object> parse(String json) throws ParseException {
    return TokenJson.parseObject(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parseWhenAuth0ShapedClaimsThenSameValuesAsNimbus() throws Exception {
    String json = "{\"iss\":\"https://tenant.auth0.com/\",\"sub\":\"auth0|5f7c\",\"aud\":[\"https://api.example.com\","
        + "\"https://tenant.auth0.com/userinfo\"],\"iat\":1700000000,\"exp\":1700086400,\"azp\":\"abc\","
        + "\"scope\":\"openid read:messages\",\"permissions\":[\"read:messages\"],\"gty\":\"client-credentials\","
        + "\"https://example.com/roles\":{\"admin\":true,\"level\":2.5,\"none\":null,\"list\":[1,-2,3e2,\"x\"]}}";
    assertThat(parse(json)).isEqualTo(JSONObjectUtils.parse(json)).containsEntry("exp", 1700086400L);
  }

  @Test
  void parseWhenNumbersThenLongIfIntegralElseDoubleAsNimbusReadsThem() throws Exception {
    String json = "{\"a\":0,\"b\":-0,\"c\":9223372036854775807,\"d\":-9223372036854775808,\"e\":9223372036854775808,"
        + "\"f\":1.0,\"g\":1e3,\"h\":-2.5E-3,\"i\":123456789012345678,\"j\":1234567890123456789}";
    Map<String, Object> parsed = parse(json);
    assertThat(parsed).isEqualTo(JSONObjectUtils.parse(json));
    assertThat(parsed.get("c")).isEqualTo(Long.MAX_VALUE);
    assertThat(parsed.get("d")).isEqualTo(Long.MIN_VALUE);
    assertThat(parsed.get("e")).isEqualTo(9.223372036854775808E18);
    assertThat(parsed.get("g")).isEqualTo(1000.0);
  }

  @Test
  void parseWhenEscapesAndUnicodeThenDecoded() throws Exception {
    String json = "{\"name\":\"J\\u00fcrgen \\\"Q\\\" \\\\ \\/ \\b\\f\\n\\r\\t\",\"utf8\":\"M\u00fcller \u4e16\u754c \ud83d\ude00\","
        + "\"esc\\u0061ped\":1,\"pair\":\"\\ud83d\\ude00\"}";
    Map<String, Object> parsed = parse(json);
    assertThat(parsed).isEqualTo(JSONObjectUtils.parse(json));
    assertThat(parsed.get("name")).isEqualTo("J\u00fcrgen \"Q\" \\ / \b\f\n\r\t");
    assertThat(parsed.get("utf8")).isEqualTo("M\u00fcller \u4e16\u754c \ud83d\ude00");
    assertThat(parsed).containsKey("escaped");
  }

  @Test
  void parseThenEveryMapAndListIsUnmodifiable() throws Exception {
    Map<String, Object> parsed = parse("{\"aud\":[\"a\"],\"o\":{\"k\":[1]}}");
    assertThatThrownBy(() -> parsed.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<Object>) parsed.get("aud")).add("b")).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> nested = (Map<String, Object>) parsed.get("o");
    assertThatThrownBy(() -> nested.clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<Object>) nested.get("k")).clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void parseThenMemberOrderIsKept() throws Exception {
    assertThat(parse("{\"z\":1,\"a\":2,\"m\":3}").keySet()).containsExactly("z", "a", "m");
  }

  @Test
  void parseWhenDuplicateTopLevelMemberThenRefusedButNestedLastWins() throws Exception {
    assertThatThrownBy(() -> parse("{\"alg\":\"RS256\",\"alg\":\"none\"}")).isInstanceOf(ParseException.class)
        .hasMessageContaining("duplicate");
    assertThat(parse("{\"o\":{\"r\":\"admin\",\"r\":\"user\"}}").get("o")).isEqualTo(Map.of("r", "user"));
  }

  // What nimbus's lenient reader accepted and a strict RFC 8259 parser does not: a token must not mean one
  // thing here and another to a stricter parser elsewhere.
  @ParameterizedTest
  @ValueSource(strings = {"", " ", "[]", "[[\"alg\",\"RS256\"]]", "null", "\"x\"", "1", "{", "{\"a\":1", "{\"a\":1,}",
      "{'a':1}", "{a:1}", "{\"a\":'x'}", "{\"a\" 1}", "{\"a\":1;\"b\":2}", "{\"a\":1}x", "{\"a\":1}{}", "{\"a\":01}",
      "{\"a\":1.}", "{\"a\":.5}", "{\"a\":-}", "{\"a\":1e}", "{\"a\":+1}", "{\"a\":NaN}", "{\"a\":Infinity}",
      "{\"a\":1e400}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":\"x}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}",
      "{\"a\":\"tab\there\"}", "{\"a\":[1,]}", "{\"a\":[1 2]}", "{/*c*/\"a\":1}", "{\"a\":1}//"})
  void parseWhenNotStrictJsonObjectThenParseException(String json) {
    assertThatThrownBy(() -> parse(json)).isInstanceOf(ParseException.class);
  }

  @Test
  void parseWhenNestedDeeperThanTheLimitThenParseExceptionNotStackOverflow() throws Exception {
    int ok = TokenJson.MAX_DEPTH - 1;
    assertThat(parse("{\"a\":" + "[".repeat(ok) + "]".repeat(ok) + "}")).containsKey("a");
    assertThatThrownBy(() -> parse("{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"))
        .isInstanceOf(ParseException.class).hasMessageContaining("nested deeper");
    assertThatThrownBy(() -> parse("{\"a\":" + "{\"b\":".repeat(10_000) + "1" + "}".repeat(10_001)))
        .isInstanceOf(ParseException.class);
  }

  @Test
  void parseWhenInvalidUtf8ThenReplacementCharacterAsBefore() throws Exception {
    byte[] json = {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, '"', '}'};
    assertThat(TokenJson.parseObject(json).get("a")).isEqualTo("\ufffd");
  }

  @Test
  void parseWhenWhitespaceAroundTokensThenAccepted() throws Exception {
    assertThat(parse(" \t\r\n{ \"a\" : [ 1 , { } , [ ] ] , \"b\" : { } } \n"))
        .isEqualTo(Map.of("a", List.of(1L, Map.of(), List.of()), "b", Map.of()));
  }
}
