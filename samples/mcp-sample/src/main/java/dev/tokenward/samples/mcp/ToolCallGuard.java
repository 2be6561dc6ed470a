package dev.tokenward.samples.mcp;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenward.core.BearerErrorResponse;
import dev.tokenward.core.Requirement;
import dev.tokenward.core.ResourceMetadataEndpoint;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.servlet.Tokens;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;

/**
 * Per-tool scopes at the HTTP layer: one MCP endpoint carries every tool, so the path rule can only
 * demand a valid token, and what a {@code tools/call} needs depends on the tool named in its body.
 * This filter, placed after tokenward's {@code BearerTokenFilter}, reads the JSON-RPC message
 * (bounded), and answers a call whose token falls short with the RFC 6750 {@code 403
 * insufficient_scope} and {@code scope="..."} that the MCP authorization spec asks for (built by
 * core's {@link BearerErrorResponse}, like every other refusal); anything else passes unchanged.
 *
 * <p>It fails closed: a body larger than {@link #MAX_BODY_BYTES}, or one that is not a single JSON
 * object (the 2025-06-18 protocol has no batches), is refused with 400 rather than passed on
 * unread, and each tool checks its requirement again before it runs.
 */
final class ToolCallGuard implements Filter {
  /** The largest JSON-RPC message read; larger ones are refused. */
  static final int MAX_BODY_BYTES = 1024 * 1024;

  private final String realm;
  private final ResourceMetadataEndpoint metadata;

  ToolCallGuard(String realm, ResourceMetadataEndpoint metadata) {
    this.realm = realm;
    this.metadata = metadata;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    if (!"POST".equals(request.getMethod())) {
      chain.doFilter(req, res);
      return;
    }
    byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      refuse(response, 413, "the MCP message is larger than " + MAX_BODY_BYTES + " bytes");
      return;
    }
    Map<String, Object> message;
    try {
      message = JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
    } catch (ParseException e) {
      refuse(response, 400, "the MCP message is not a single JSON object");
      return;
    }
    if ("tools/call".equals(message.get("method"))) {
      Optional<Requirement> needed = toolName(message).flatMap(McpTools::requirement);
      if (needed.isPresent()) {
        try {
          needed.get().check(Tokens.from(request));
        } catch (TokenValidationException e) {
          String origin = ResourceMetadataEndpoint.origin(request.getScheme(), request.getServerName(),
              request.getServerPort());
          write(response, BearerErrorResponse.of(e, realm, metadata.metadataUrl(origin)));
          return;
        }
      }
    }
    chain.doFilter(new ReplayedBody(request, body), res);
  }

  private static Optional<String> toolName(Map<String, Object> message) {
    return message.get("params") instanceof Map<?, ?> params && params.get("name") instanceof String name
        ? Optional.of(name) : Optional.empty();
  }

  private static void write(HttpServletResponse response, BearerErrorResponse answer) throws IOException {
    response.setStatus(answer.status());
    answer.headers().forEach((name, value) -> {
      if (!name.equals("WWW-Authenticate")) {
        response.setHeader(name, value);
      }
    });
    answer.challenges().forEach(c -> response.addHeader("WWW-Authenticate", c));
    response.getOutputStream().write(answer.body().getBytes(StandardCharsets.UTF_8));
  }

  private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
    response.setStatus(status);
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("application/json");
    response.getOutputStream().write(("{\"error\":\"invalid_request\",\"error_description\":\"" + message + "\"}")
        .getBytes(StandardCharsets.UTF_8));
  }

  /** The request with its already-read body offered again to the MCP transport. */
  private static final class ReplayedBody extends HttpServletRequestWrapper {
    private final byte[] body;

    ReplayedBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      InputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() throws IOException {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return available() == 0;
        }

        @Override
        public int available() {
          try {
            return in.available();
          } catch (IOException e) {
            return 0;
          }
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the MCP transport reads the body blocking");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
