package dev.tokenward.samples.mcp;

import dev.tokenward.core.Requirement;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.core.VerifiedToken;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sample's two MCP tools and what each demands of the caller's token. The HTTP layer
 * ({@link ToolCallGuard}) refuses a call that falls short with 403 before the SDK sees it; each
 * handler checks again, so a tool never runs for a token that does not grant its requirement.
 */
final class McpTools {
  /** Lists the caller's messages; needs {@code read:messages}. */
  static final String READ_MESSAGES = "read-messages";
  /** Reports on every tenant; needs {@code admin:all}. */
  static final String ADMIN_REPORT = "admin-report";

  /** The transport-context key under which the verified token of the HTTP request travels. */
  static final String TOKEN_KEY = VerifiedToken.class.getName();

  private static final Map<String, Requirement> REQUIREMENTS = Map.of(
      READ_MESSAGES, Requirement.allOf("read:messages"),
      ADMIN_REPORT, Requirement.allOf("admin:all"));

  private McpTools() {}

  /** Every scope a tool of this server may demand, for the metadata's {@code scopes_supported}. */
  static List<String> scopes() {
    return REQUIREMENTS.values().stream().flatMap(r -> r.values().stream()).distinct().sorted().toList();
  }

  /** What calling {@code tool} demands; empty for a name that is no tool of this server. */
  static Optional<Requirement> requirement(String tool) {
    return Optional.ofNullable(REQUIREMENTS.get(tool));
  }

  static List<SyncToolSpecification> specifications() {
    return List.of(
        tool(READ_MESSAGES, "Lists the caller's messages (needs read:messages)",
            token -> "messages for " + (token.subject() != null ? token.subject() : "client " + token.clientId().orElse("?"))
                + ": [\"hello from the MCP sample\"]"),
        tool(ADMIN_REPORT, "Reports on every tenant (needs admin:all)",
            token -> "admin report: 2 tenants, 0 incidents"));
  }

  private interface Body {
    String answer(VerifiedToken token);
  }

  private static SyncToolSpecification tool(String name, String description, Body body) {
    McpSchema.Tool tool = McpSchema.Tool.builder()
        .name(name)
        .description(description)
        .inputSchema(new McpSchema.JsonSchema("object", Map.of(), List.of(), false, null, null))
        .build();
    Requirement requirement = REQUIREMENTS.get(name);
    return SyncToolSpecification.builder()
        .tool(tool)
        .callHandler((exchange, request) -> {
          Object token = exchange.transportContext().get(TOKEN_KEY);
          if (!(token instanceof VerifiedToken verified)) {
            return refused("no verified token reached the tool; refusing");
          }
          try {
            requirement.check(verified);
          } catch (TokenValidationException e) {
            return refused(e.description());
          }
          return McpSchema.CallToolResult.builder()
              .content(List.of(new McpSchema.TextContent(body.answer(verified))))
              .isError(false)
              .build();
        })
        .build();
  }

  private static McpSchema.CallToolResult refused(String why) {
    return McpSchema.CallToolResult.builder()
        .content(List.of(new McpSchema.TextContent(why)))
        .isError(true)
        .build();
  }

  /** Puts the request's verified token into the MCP transport context the tools read. */
  static McpTransportContext context(Optional<VerifiedToken> token) {
    return token.<McpTransportContext>map(t -> McpTransportContext.create(Map.of(TOKEN_KEY, t)))
        .orElse(McpTransportContext.EMPTY);
  }
}
