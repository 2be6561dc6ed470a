package dev.tokenward.samples.mcp;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.BearerErrorResponse;
import dev.tokenward.core.ProtectedResourceMetadata;
import dev.tokenward.core.ResourceMetadataEndpoint;
import dev.tokenward.samples.support.SampleConfiguration;
import dev.tokenward.samples.support.SampleLauncher;
import dev.tokenward.samples.support.SampleServer;
import dev.tokenward.servlet.BearerTokenFilter;
import dev.tokenward.servlet.Tokens;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The MCP server sample: the official MCP Java SDK's Streamable HTTP servlet transport at
 * {@value #MCP_PATH} on embedded Jetty 12, behind tokenward's {@link BearerTokenFilter} (a valid
 * access token for the configured audience on every MCP request, so no token is ever passed
 * through) and {@link ToolCallGuard} (the scope each tool needs). Configured by the same
 * {@code TOKENWARD_*} variables as the other samples, with the embedded dev issuer by default.
 */
public final class McpSample {
  /** The sample's name in its output lines. */
  public static final String NAME = "mcp-sample";
  /** Where the MCP endpoint listens. */
  public static final String MCP_PATH = "/mcp";

  private McpSample() {}

  /** Starts the sample as the other samples start: {@code java -jar samples/mcp-sample/target/mcp-sample.jar}. */
  public static void main(String[] args) {
    SampleLauncher.main(NAME, McpSample::server, McpQuickstart::print);
  }

  /**
   * Starts Jetty on {@code address} with the MCP server behind the filter built from {@code validator},
   * publishing the RFC 9728 metadata of {@code config} (the MCP authorization spec requires it).
   */
  public static SampleServer server(InetSocketAddress address, AccessTokenValidator validator, SampleConfiguration config)
      throws Exception {
    HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
        .mcpEndpoint(MCP_PATH)
        .contextExtractor(request -> McpTools.context(Tokens.find(request)))
        .build();
    McpSyncServer mcp = McpServer.sync(transport)
        .serverInfo("tokenward-mcp-sample", "0.1.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
        .tools(McpTools.specifications())
        .build();

    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder("mcp", transport), MCP_PATH);
    context.addServlet(new ServletHolder("health", new Health()), "/health");
    ProtectedResourceMetadata metadata = config.resourceMetadata(validator).toBuilder()
        .scopesSupported(McpTools.scopes())
        .build();
    BearerTokenFilter filter = BearerTokenFilter.builder(validator)
        .resourceMetadata(metadata)
        .authenticated(MCP_PATH, MCP_PATH + "/*")
        .build();
    context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(new FilterHolder(new ToolCallGuard(BearerErrorResponse.DEFAULT_REALM,
        new ResourceMetadataEndpoint(metadata))), MCP_PATH, EnumSet.of(DispatcherType.REQUEST));

    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(address.getHostString());
    connector.setPort(address.getPort());
    server.addConnector(connector);
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      mcp.close();
      throw e;
    }
    return new SampleServer() {
      @Override
      public int port() {
        return connector.getLocalPort();
      }

      @Override
      public void stop() throws Exception {
        mcp.close();
        server.stop();
      }
    };
  }

  /** Liveness: 200 while the process serves. */
  private static final class Health extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("application/json");
      resp.getOutputStream().write("{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8));
    }
  }
}
