package dev.tokenward.samples.mcp;

import dev.tokenward.samples.support.DevQuickstart;
import dev.tokenward.test.TestIssuer;
import java.io.PrintStream;
import java.net.URI;

/**
 * The MCP sample's "Try it" block: curl commands (bash) against its MCP endpoint with tokens from
 * the embedded dev issuer. An MCP host (an IDE, an agent) does the same steps itself; these show
 * the HTTP answers it meets: 401 with {@code resource_metadata}, 200 for {@code initialize}, and
 * 403 {@code insufficient_scope} for a tool the token does not grant.
 */
final class McpQuickstart {
  private McpQuickstart() {}

  static void print(PrintStream out, TestIssuer issuer, URI sample) {
    String mcp = sample.resolve(McpSample.MCP_PATH).toString();
    String headers = " -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream'";
    String initialize = " -d '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
        + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"curl\",\"version\":\"1\"}}}'";
    String adminCall = " -d '{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\""
        + McpTools.ADMIN_REPORT + "\",\"arguments\":{}}}'";
    out.println();
    out.println("Try it (bash):");
    out.println();
    out.println("# no token: 401, the challenge names the protected resource metadata -> 401");
    out.println("curl -i " + mcp + headers + initialize);
    out.println();
    out.println("# demo-client's token (read:messages) opens an MCP session -> 200");
    out.println(DevQuickstart.tokenCommand(issuer, TestIssuer.DEMO_CLIENT, TestIssuer.DEMO_SECRET, TestIssuer.DEFAULT_API));
    out.println("curl -i " + mcp + " -H \"Authorization: Bearer $TOKEN\"" + headers + initialize);
    out.println();
    out.println("# the same token calling " + McpTools.ADMIN_REPORT + ", which needs admin:all: insufficient_scope -> 403");
    out.println("curl -i " + mcp + " -H \"Authorization: Bearer $TOKEN\"" + headers + adminCall);
    out.println();
  }
}
