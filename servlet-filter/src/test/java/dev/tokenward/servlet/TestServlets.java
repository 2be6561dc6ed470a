package dev.tokenward.servlet;

import dev.tokenward.core.Authenticated;
import dev.tokenward.core.Requirement;
import dev.tokenward.core.RequiresGrants;
import dev.tokenward.core.RequiresPermissions;
import dev.tokenward.core.RequiresScopes;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;

/** Servlets that report what the filter let them see. */
final class TestServlets {
  private TestServlets() {}

  static final List<String> ROLES = List.of("read:messages", "write:messages", "admin:all", "**", "*");

  /** Writes one line: path, principal, auth type, remote user, roles held (of {@link #ROLES}) and the token attribute. */
  public static class Echo extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Principal p = req.getUserPrincipal();
      Object attribute = req.getAttribute(Tokens.ATTRIBUTE);
      List<String> roles = new ArrayList<>();
      for (String role : ROLES) {
        if (req.isUserInRole(role)) {
          roles.add(role);
        }
      }
      String seen = "path=" + Protections.pathWithinApplication(req)
          + " principal=" + (p == null ? "none" : p.getClass().getSimpleName() + ":" + p.getName())
          + " authType=" + req.getAuthType()
          + " remoteUser=" + req.getRemoteUser()
          + " roles=" + roles
          + " attribute=" + (attribute == null ? "none"
              : p instanceof dev.tokenward.core.TokenPrincipal b && b.token() == attribute ? "principal's token" : attribute);
      resp.setContentType("text/plain;charset=utf-8");
      resp.getOutputStream().write(seen.getBytes(StandardCharsets.UTF_8));
    }
  }

  @RequiresScopes("write:messages")
  public static class WriteScoped extends Echo {}

  @RequiresPermissions(value = {"admin:all", "support:all"}, match = Requirement.Match.ANY)
  public static class AnyAdminPermission extends Echo {}

  @Authenticated
  public static class AuthenticatedOnly extends Echo {}

  @RequiresGrants("read:messages")
  @RequiresScopes(value = {"openid", "profile"}, match = Requirement.Match.ANY)
  public static class TwoAnnotations extends Echo {}

  /** Inherits {@link WriteScoped}'s requirement. */
  public static class InheritsWriteScoped extends WriteScoped {}

  @RequiresScopes({})
  public static class EmptyScopes extends Echo {}

  /** An annotation on a method, which the servlet filter does not honour: it must fail closed, not open. */
  public static class MethodAnnotated extends Echo {
    @Override
    @RequiresScopes("write:messages")
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      service(req, resp);
    }
  }
}
