package dev.tokenward.samples.support;

import dev.tokenward.core.Requirement;
import dev.tokenward.core.StepUp;
import java.util.Optional;

/**
 * The endpoint table of the samples' contract: which path needs what. Both samples serve exactly
 * these, every one with {@code GET}.
 *
 * <pre>
 * GET /health              none                                       200
 * GET /api/public          none                                       200 {"message": ...}
 * GET /api/private         any valid access token                     200 {"sub", "tokenType", "scopes", "permissions"}
 * GET /api/private-scoped  scope or permission read:messages          same
 * GET /api/admin           scope or permission admin:all              same
 * GET /api/step-up         strong, recent authentication (step-up)    same
 * </pre>
 */
public enum Endpoint {
  HEALTH("/health", Access.NONE, null),
  PUBLIC("/api/public", Access.NONE, null),
  PRIVATE("/api/private", Access.TOKEN, null),
  PRIVATE_SCOPED("/api/private-scoped", Access.GRANT, Endpoint.READ_MESSAGES),
  ADMIN("/api/admin", Access.GRANT, Endpoint.ADMIN_ALL),
  STEP_UP("/api/step-up", Access.STEP_UP, null);

  /** The scope or permission {@link #PRIVATE_SCOPED} needs (a constant, for annotations). */
  public static final String READ_MESSAGES = "read:messages";
  /** The scope or permission {@link #ADMIN} needs (a constant, for annotations). */
  public static final String ADMIN_ALL = "admin:all";

  /** What a request must carry. */
  public enum Access {
    /** Nothing: the token, if any, is not even looked at. */
    NONE,
    /** Any valid access token. */
    TOKEN,
    /** A valid access token whose granted scopes or permissions include {@link #grant()}. */
    GRANT,
    /**
     * A valid access token of a user who authenticated strongly and recently enough (RFC 9470):
     * the configured {@code TOKENWARD_STEP_UP_ACR} and {@code TOKENWARD_STEP_UP_MAX_AGE_SECONDS}.
     */
    STEP_UP
  }

  private final String path;
  private final Access access;
  private final String grant;

  Endpoint(String path, Access access, String grant) {
    this.path = path;
    this.access = access;
    this.grant = grant;
  }

  /** The request path, e.g. {@code /api/private-scoped}. */
  public String path() {
    return path;
  }

  public Access access() {
    return access;
  }

  /** The scope or permission needed, for {@link Access#GRANT}. */
  public Optional<String> grant() {
    return Optional.ofNullable(grant);
  }

  /** For {@link Access#GRANT}: the value granted as a scope or as a permission (Auth0 RBAC). */
  public Optional<Requirement> requirement() {
    return grant().map(Requirement::allOf);
  }

  /**
   * What a valid token must satisfy: for {@link Access#GRANT} the value as a scope or permission,
   * for {@link Access#STEP_UP} the step-up policy {@code stepUp}; empty for any valid token.
   */
  public Optional<Requirement> requirement(StepUp stepUp) {
    return access == Access.STEP_UP ? Optional.of(Requirement.stepUp(stepUp)) : requirement();
  }

  /** True for the endpoints that answer the success body of a verified token. */
  public boolean needsToken() {
    return access != Access.NONE;
  }
}
