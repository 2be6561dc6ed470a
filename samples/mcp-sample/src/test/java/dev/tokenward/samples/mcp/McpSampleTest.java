package dev.tokenward.samples.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenward.samples.support.RunningSample;
import dev.tokenward.samples.support.SampleLauncher;
import dev.tokenward.test.TestIssuer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientAuthorizationErrorHandler;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drives the MCP sample with the official MCP Java SDK's own client over HTTP, as an MCP host
 * would: the first request has no token and gets 401; the client's authorization hook follows the
 * challenge's {@code resource_metadata} to the RFC 9728 document, from there to the issuer's
 * metadata, gets a token for the resource by client credentials, and retries.
 */
class McpSampleTest {
  private static RunningSample sample;
  private static TestIssuer issuer;
  private static final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    sample = SampleLauncher.start(McpSample.NAME, Map.of("PORT", "0"),
        new PrintStream(printed, true, StandardCharsets.UTF_8), McpSample::server, McpQuickstart::print);
    issuer = sample.devIssuer().orElseThrow();
  }

  @AfterAll
  static void stop() {
    sample.close();
  }

  private static URI mcp() {
    return sample.baseUri().resolve(McpSample.MCP_PATH);
  }

  @Test
  void startPrintsMcpCommandsNotTheRestSamplesOnes() {
    String out = printed.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("curl -i " + mcp() + " -H 'Content-Type: application/json'")
        .contains("-> 401").contains("-> 200").contains("-> 403")
        .doesNotContain("/api/private-scoped")
        .contains(McpSample.NAME + " listening on " + sample.baseUri());
  }

  @Test
  void mcpRequestWithoutTokenThenUnauthorizedWithResourceMetadata() throws Exception {
    HttpResponse<String> answer = post(initialize(), null);
    assertThat(answer.statusCode()).isEqualTo(401);
    String challenge = answer.headers().firstValue("WWW-Authenticate").orElseThrow();
    assertThat(challenge).startsWith("Bearer realm=\"tokenward\"").doesNotContain("error=");
    assertThat(resourceMetadata(challenge)).isEqualTo(sample.baseUri().resolve("/.well-known/oauth-protected-resource").toString());
  }

  @Test
  void sdkClientFollowsMetadataGetsTokenListsAndCallsPermittedTool() {
    OAuthFlow flow = new OAuthFlow(TestIssuer.DEMO_CLIENT, TestIssuer.DEMO_SECRET);
    try (McpSyncClient client = client(flow)) {
      client.initialize();
      assertThat(flow.steps).containsExactly("401", "metadata", "issuer-metadata", "token");

      List<String> tools = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
      assertThat(tools).containsExactlyInAnyOrder(McpTools.READ_MESSAGES, McpTools.ADMIN_REPORT);

      McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(McpTools.READ_MESSAGES, Map.of()));
      assertThat(result.isError()).isFalse();
      assertThat(((McpSchema.TextContent) result.content().get(0)).text()).contains("hello from the MCP sample");
    }
  }

  @Test
  void toolNeedingAdminScopeThenForbiddenWithScope() {
    OAuthFlow flow = new OAuthFlow(TestIssuer.DEMO_CLIENT, TestIssuer.DEMO_SECRET);
    try (McpSyncClient client = client(flow)) {
      client.initialize();
      assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest(McpTools.ADMIN_REPORT, Map.of())))
          .hasCauseInstanceOf(McpHttpClientTransportAuthorizationException.class)
          .satisfies(e -> {
            HttpResponse.ResponseInfo info = ((McpHttpClientTransportAuthorizationException) e.getCause()).getResponseInfo();
            assertThat(info.statusCode()).isEqualTo(403);
            String challenge = info.headers().firstValue("WWW-Authenticate").orElseThrow();
            assertThat(challenge).contains("error=\"insufficient_scope\"").contains("scope=\"admin:all\"")
                .contains("resource_metadata=\"");
          });
    }
  }

  @Test
  void adminClientCallsAdminTool() {
    try (McpSyncClient client = client(new OAuthFlow(TestIssuer.ADMIN_CLIENT, TestIssuer.ADMIN_SECRET))) {
      client.initialize();
      McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(McpTools.ADMIN_REPORT, Map.of()));
      assertThat(result.isError()).isFalse();
      assertThat(((McpSchema.TextContent) result.content().get(0)).text()).startsWith("admin report");
    }
  }

  @Test
  void tokenForAnotherAudienceThenRefusedNotPassedThrough() throws Exception {
    String foreign = issuer.jwt().audience("https://other-api.example").scopes("read:messages", "admin:all").sign();
    HttpResponse<String> answer = post(initialize(), foreign);
    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"invalid_token\"").contains("aud");
  }

  @Test
  void toolCallBodyThatIsNotOneJsonObjectThenBadRequest() throws Exception {
    String token = issuer.accessToken(TestIssuer.ADMIN_CLIENT, TestIssuer.DEFAULT_API, "read:messages", "admin:all");
    HttpResponse<String> answer = post("[" + toolCall(McpTools.ADMIN_REPORT) + "]", token);
    assertThat(answer.statusCode()).isEqualTo(400);
  }

  @Test
  void toolCallWithoutAdminScopeRefusedBeforeTheSdkSeesIt() throws Exception {
    String token = issuer.accessToken(TestIssuer.DEMO_CLIENT, TestIssuer.DEFAULT_API, "read:messages");
    HttpResponse<String> answer = post(toolCall(McpTools.ADMIN_REPORT), token);
    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("Bearer realm=\"tokenward\"").contains("error=\"insufficient_scope\"").contains("scope=\"admin:all\"");
    assertThat(answer.body()).contains("\"error\":\"insufficient_scope\"");
  }

  private static McpSyncClient client(OAuthFlow flow) {
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(sample.baseUri().toString())
        .endpoint(McpSample.MCP_PATH)
        .httpRequestCustomizer((builder, method, uri, body, context) -> {
          String token = flow.token.get();
          if (token != null) {
            builder.header("Authorization", "Bearer " + token);
          }
        })
        .authorizationErrorHandler(McpHttpClientAuthorizationErrorHandler.fromSync(flow::handle))
        .build();
    return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * What an MCP host does on a 401 (MCP authorization spec, 2025-06-18): read {@code resource_metadata}
   * from the challenge, fetch the RFC 9728 document, pick its authorization server, read that
   * server's metadata, and get a token for the resource. A 403 is not retried.
   */
  private static final class OAuthFlow {
    final String clientId;
    final String secret;
    final AtomicReference<String> token = new AtomicReference<>();
    final List<String> steps = new ArrayList<>();

    OAuthFlow(String clientId, String secret) {
      this.clientId = clientId;
      this.secret = secret;
    }

    boolean handle(HttpResponse.ResponseInfo info, Object context) {
      if (info.statusCode() != 401 || token.get() != null) {
        return false;
      }
      try {
        steps.add("401");
        String metadataUrl = resourceMetadata(info.headers().firstValue("WWW-Authenticate").orElseThrow());
        Map<String, Object> metadata = getJson(metadataUrl);
        steps.add("metadata");
        String resource = (String) metadata.get("resource");
        String authorizationServer = ((List<?>) metadata.get("authorization_servers")).get(0).toString();
        Map<String, Object> asMetadata = getJson(authorizationServer.replaceAll("/$", "")
            + "/.well-known/openid-configuration");
        steps.add("issuer-metadata");
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(secret)
            + "&audience=" + enc(resource) + "&resource=" + enc(resource);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create((String) asMetadata.get("token_endpoint")))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("token endpoint: %s", answer.body()).isEqualTo(200);
        token.set((String) JSONObjectUtils.parse(answer.body()).get("access_token"));
        steps.add("token");
        return true;
      } catch (Exception e) {
        throw new IllegalStateException("the OAuth flow failed", e);
      }
    }
  }

  private static String resourceMetadata(String challenge) {
    Matcher m = Pattern.compile("resource_metadata=\"([^\"]+)\"").matcher(challenge);
    assertThat(m.find()).as("resource_metadata in %s", challenge).isTrue();
    return m.group(1);
  }

  private static Map<String, Object> getJson(String url) throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as("GET %s", url).isEqualTo(200);
    return JSONObjectUtils.parse(answer.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String initialize() {
    return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
  }

  private static String toolCall(String tool) {
    return "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":{}}}";
  }

  private static HttpResponse<String> post(String body, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(mcp())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
