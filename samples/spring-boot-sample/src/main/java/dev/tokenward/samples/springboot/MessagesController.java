package dev.tokenward.samples.springboot;

import dev.tokenward.core.VerifiedToken;
import dev.tokenward.servlet.Tokens;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The API: one public endpoint, one for any valid token, one that needs {@code read:messages}. */
@RestController
@RequestMapping("/api")
class MessagesController {

  @GetMapping("/public")
  Map<String, Object> open() {
    return Map.of("message", "public: no token needed");
  }

  @GetMapping({"/private", "/private-scoped"})
  Map<String, Object> protectedMessage(HttpServletRequest request, Principal principal) {
    // The filter let the request through only with a valid token; the verified token is a request attribute.
    VerifiedToken token = Tokens.from(request);
    return Map.of("sub", principal.getName(), "scopes", token.scopes());
  }
}
