package dev.tokenward.samples.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

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
import java.net.InetAddress;
import java.net.ServerSocket;
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
  private static final String MCP_CLIENT = "mcp-host";
  private static final String MCP_SECRET = "mcp-host-secret";
  private static final String MCP_ADMIN = "mcp-admin-host";
  private static final String MCP_ADMIN_SECRET = "mcp-admin-host-secret";
  private static RunningSample sample;
  private static RunningSample devSample; // with the embedded dev issuer, as `java -jar` starts it
  private static TestIssuer issuer;
  private static String resource;
  private static final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private static final ByteArrayOutputStream devPrinted = new ByteArrayOutputStream();
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * As an MCP deployment is set up: the resource identifier is the MCP server's URL, the issuer has
   * an API of that identifier, and the server accepts exactly that audience. The port is chosen
   * first, since the identifier names it; the sample binds it itself, so a port seen free here can be
   * taken before it does: then (the start failure naming PORT) all of it is set up again on another
   * port, three times at most.
   */
  @BeforeAll
  static void start() throws Exception {
    for (int attempt = 1; sample == null; attempt++) {
      int port;
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      }
      resource = "http://127.0.0.1:" + port + McpSample.MCP_PATH;
      issuer = TestIssuer.defaultsBuilder()
          .api(resource, TestIssuer.READ_MESSAGES, TestIssuer.ADMIN_ALL)
          .client(MCP_CLIENT, MCP_SECRET, c -> c.authorize(resource, TestIssuer.READ_MESSAGES))
          .client(MCP_ADMIN, MCP_ADMIN_SECRET, c -> c.authorize(resource, TestIssuer.READ_MESSAGES, TestIssuer.ADMIN_ALL))
          .build()
          .start();
      try {
        sample = SampleLauncher.start(McpSample.NAME, Map.of("PORT", Integer.toString(port),
                "TOKENWARD_ISSUER", issuer.issuer(), "TOKENWARD_AUDIENCE", resource, "TOKENWARD_RESOURCE", resource),
            new PrintStream(printed, true, StandardCharsets.UTF_8), McpSample::server, McpQuickstart::print);
      } catch (IllegalStateException e) {
        issuer.close();
        if (attempt == 3 || e.getMessage() == null || !e.getMessage().startsWith("PORT: cannot listen")) {
          throw e;
        }
      }
    }
    devSample = SampleLauncher.start(McpSample.NAME, Map.of("PORT", "0"),
        new PrintStream(devPrinted, true, StandardCharsets.UTF_8), McpSample::server, McpQuickstart::print);
  }

  @AfterAll
  static void stop() {
    sample.close();
    devSample.close();
    issuer.close();
  }

  private static URI mcp() {
    return sample.baseUri().resolve(McpSample.MCP_PATH);
  }

  @Test
  void startPrintsMcpCommandsNotTheRestSamplesOnes() {
    String out = devPrinted.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("curl -i " + devSample.baseUri().resolve(McpSample.MCP_PATH) + " -H 'Content-Type: application/json'")
        .contains("-> 401").contains("-> 200").contains("-> 403")
        .doesNotContain("/api/private-scoped")
        .contains(McpSample.NAME + " listening on " + devSample.baseUri());
  }

  @Test
  void mcpRequestWithoutTokenThenUnauthorizedWithResourceMetadata() throws Exception {
    HttpResponse<String> answer = post(initialize(), null);
    assertThat(answer.statusCode()).isEqualTo(401);
    String challenge = answer.headers().firstValue("WWW-Authenticate").orElseThrow();
    assertThat(challenge).startsWith("Bearer realm=\"tokenward\"").doesNotContain("error=");
    // RFC 9728 section 3.1: the resource identifier has a path, so its metadata URL has it as a suffix
    assertThat(resourceMetadata(challenge)).isEqualTo(sample.baseUri() + "/.well-known/oauth-protected-resource/mcp");
  }

  @Test
  void sdkClientFollowsMetadataGetsTokenListsAndCallsPermittedTool() {
    OAuthFlow flow = new OAuthFlow(MCP_CLIENT, MCP_SECRET);
    try (McpSyncClient client = client(flow)) {
      client.initialize();
      assertThat(flow.steps).containsExactly("401", "metadata", "issuer-metadata", "token");
      assertThat(flow.metadata.get("resource")).isEqualTo(resource);
      assertThat(flow.metadata.get("authorization_servers")).isEqualTo(List.of(issuer.issuer()));
      assertThat(flow.metadata.get("scopes_supported")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).contains("read:messages", "admin:all");

      List<String> tools = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
      assertThat(tools).containsExactlyInAnyOrder(McpTools.READ_MESSAGES, McpTools.ADMIN_REPORT);

      McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(McpTools.READ_MESSAGES, Map.of()));
      assertThat(result.isError()).isFalse();
      assertThat(((McpSchema.TextContent) result.content().get(0)).text()).contains("hello from the MCP sample");
    }
  }

  @Test
  void toolNeedingAdminScopeThenForbiddenWithScope() {
    OAuthFlow flow = new OAuthFlow(MCP_CLIENT, MCP_SECRET);
    try (McpSyncClient client = client(flow)) {
      client.initialize();
      Throwable thrown = catchThrowable(() -> client.callTool(new McpSchema.CallToolRequest(McpTools.ADMIN_REPORT, Map.of())));
      McpHttpClientTransportAuthorizationException refused = null;
      for (Throwable t = thrown; t != null && refused == null; t = t.getCause()) {
        refused = t instanceof McpHttpClientTransportAuthorizationException a ? a : null;
      }
      assertThat(refused).as("the SDK client's authorization failure, in %s", thrown).isNotNull();
      HttpResponse.ResponseInfo info = refused.getResponseInfo();
      assertThat(info.statusCode()).isEqualTo(403);
      String challenge = info.headers().firstValue("WWW-Authenticate").orElseThrow();
      assertThat(challenge).startsWith("Bearer realm=\"tokenward\"").contains("error=\"insufficient_scope\"")
          .contains("scope=\"admin:all\"")
          .contains("resource_metadata=\"" + sample.baseUri() + "/.well-known/oauth-protected-resource/mcp\"");
    }
  }

  @Test
  void adminClientCallsAdminTool() {
    try (McpSyncClient client = client(new OAuthFlow(MCP_ADMIN, MCP_ADMIN_SECRET))) {
      client.initialize();
      McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(McpTools.ADMIN_REPORT, Map.of()));
      assertThat(result.isError()).isFalse();
      assertThat(((McpSchema.TextContent) result.content().get(0)).text()).startsWith("admin report");
    }
  }

  @Test
  void tokenForAnotherAudienceThenRefusedNotPassedThrough() throws Exception {
    // a token the same issuer made for another API (here the issuer's default one): the MCP spec forbids passthrough
    String foreign = issuer.accessToken(TestIssuer.ADMIN_CLIENT, TestIssuer.DEFAULT_API, "read:messages", "admin:all");
    HttpResponse<String> answer = post(initialize(), foreign);
    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"invalid_token\"").contains("aud");
  }

  @Test
  void toolCallBodyThatIsNotOneJsonObjectThenBadRequest() throws Exception {
    String token = issuer.accessToken(MCP_ADMIN, resource, "read:messages", "admin:all");
    HttpResponse<String> answer = post("[" + toolCall(McpTools.ADMIN_REPORT) + "]", token);
    assertThat(answer.statusCode()).isEqualTo(400);
  }

  @Test
  void toolCallWithoutAdminScopeRefusedBeforeTheSdkSeesIt() throws Exception {
    String token = issuer.accessToken(MCP_CLIENT, resource, "read:messages");
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
    volatile Map<String, Object> metadata;

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
        this.metadata = metadata;
        steps.add("metadata");
        String resource = (String) metadata.get("resource");
        assertThat(metadataUrl).as("RFC 9728 section 3.3").isEqualTo(resource.replaceFirst("^(https?://[^/]+)",
            "$1/.well-known/oauth-protected-resource"));
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
