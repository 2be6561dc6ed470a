package dev.tokenward.jaxrs;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.Authenticated;
import dev.tokenward.core.BearerErrorResponse;
import dev.tokenward.core.BearerTokenExtractor;
import dev.tokenward.core.ConfigurationException;
import dev.tokenward.core.ProtectedResourceMetadata;
import dev.tokenward.core.ResourceMetadataEndpoint;
import dev.tokenward.core.StepUp;
import dev.tokenward.core.RequiresGrants;
import dev.tokenward.core.RequiresPermissions;
import dev.tokenward.core.RequiresScopes;
import dev.tokenward.core.StandardSettings;
import dev.tokenward.core.TokenwardConfig;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protects the resources of a Jakarta REST (JAX-RS 3.1) application with bearer access tokens:
 * register this one feature, and declare what each resource needs with annotations.
 *
 * <pre>{@code
 * AccessTokenValidator validator = AccessTokenValidator.builder()
 *     .issuer("https://tenant.auth0.com/").audience("https://api.example.com").build();
 * resourceConfig.register(TokenwardFeature.builder(validator).build());
 * }</pre>
 *
 * <p>Each resource method gets its rule at deployment, from its own annotations or else its
 * class's: core's {@link Authenticated}, {@link RequiresScopes}, {@link RequiresPermissions},
 * {@link RequiresGrants} (each with {@code online}), {@link dev.tokenward.core.RequiresStepUp},
 * {@code @RolesAllowed} (a role is a scope or a permission, any one of those listed),
 * {@code @PermitAll} and {@code @DenyAll}. A method with neither method nor class annotations is
 * protected (needs a valid token) unless {@link Builder#protectUnannotated(boolean)} is turned
 * off; the runtime's own automatic {@code OPTIONS} answers (CORS preflights) stay public. A
 * contradictory or empty annotation makes deployment fail with a message naming the method.
 *
 * <p>Sub-resource locators: Jersey and RESTEasy never show a locator to a {@code DynamicFeature},
 * so the rules of a locator method (or of the class declaring it) are applied when the request
 * arrives, from the matched resource chain ({@code UriInfo.getMatchedResources()}): every rule on
 * the way (locators, the sub-resource class or method) must hold; a chain without any annotation
 * follows {@link Builder#protectUnannotated(boolean)}; a chain that cannot be explained is refused
 * with 500. A misconfigured annotation on a locator of a class with resource methods fails
 * deployment; on a class with only locators, its requests fail with 500, naming the method.
 *
 * <p>Sender-constrained tokens: each request goes to core whole
 * ({@link AccessTokenValidator#validate(dev.tokenward.core.TokenRequest)}), a {@code Bearer} or {@code DPoP}
 * token (RFC 9449) and the TLS client certificate where the runtime offers it (the request property
 * {@code jakarta.servlet.request.X509Certificate}: a servlet container, Jersey on Grizzly, RESTEasy on
 * Undertow), else the header named by {@code clientCertificateHeader} on the validator, for
 * certificate-bound tokens (RFC 8705). {@link dev.tokenward.core.RequiresDpop @RequiresDpop} and
 * {@link dev.tokenward.core.RequiresSenderConstrained @RequiresSenderConstrained} on a method, its class
 * or a locator on the way demand a sender-constrained token there, whatever the issuer's DPoP policy
 * allows; {@code @RequiresDpop} where DPoP is off for an issuer fails deployment, naming the method.
 *
 * <p>Every resource method gets an authentication filter at {@link Priorities#AUTHENTICATION},
 * which decides the rule and, if a token is needed, validates it, and an authorization filter at
 * {@link Priorities#AUTHORIZATION}. A public method never reads the {@code Authorization} header,
 * so a malformed or invalid token sent to it is ignored.
 *
 * <p>Refusals are core's RFC 6750 answers ({@link BearerErrorResponse}): 401, 400
 * {@code invalid_request}, 401 {@code invalid_token}, 403 {@code insufficient_scope} with
 * {@code scope}, 503 {@code temporarily_unavailable} with {@code Retry-After}. The token is never
 * logged; refusals are logged at debug level with their reason.
 *
 * <p>Given {@link Builder#resourceMetadata}, the feature also serves the resource's RFC 9728
 * metadata at {@code GET /.well-known/oauth-protected-resource} (and the path-suffixed URL when the
 * resource identifier has a path) without a token, from a pre-matching filter, with the scopes the
 * resource annotations name, and every challenge carries that document's URL as
 * {@code resource_metadata}. The document is served only where the application sees the path:
 * deployed at the root of the host.
 */
public final class TokenwardFeature implements Feature {
  private static final Logger log = LoggerFactory.getLogger(TokenwardFeature.class);

  /** True if the application runs on Jersey, whose injection API then binds {@code @Context VerifiedToken}. */
  private static final boolean JERSEY = present("org.glassfish.jersey.internal.inject.AbstractBinder");

  private final AccessTokenValidator validator;
  private final BearerTokenExtractor extractor;
  private final int maxFormBodyBytes;
  private final String realm;
  private final boolean protectUnannotated;
  private final StepUp stepUp;
  private final ResourceMetadataEndpoint metadata; // null: no RFC 9728 metadata
  private final boolean serveMetadata;
  /** The scopes and permissions the resource methods' rules name, collected at deployment for {@code scopes_supported}. */
  private final Set<String> scopesNamed = new ConcurrentSkipListSet<>();

  private TokenwardFeature(Builder b) {
    this.validator = b.validator;
    this.extractor = b.extractor;
    this.maxFormBodyBytes = b.maxFormBodyBytes;
    this.realm = b.realm;
    this.protectUnannotated = b.protectUnannotated;
    this.stepUp = b.stepUp;
    if (b.metadata != null) {
      ProtectedResourceMetadata.Builder document = b.metadata.toBuilder();
      if (b.extractor.allowsFormParameter()) {
        document.bearerMethod("body");
      }
      if (b.extractor.allowsQueryParameter()) {
        document.bearerMethod("query");
      }
      this.metadata = new ResourceMetadataEndpoint(document.build());
    } else {
      this.metadata = null;
    }
    this.serveMetadata = b.serveMetadata;
  }

  /** Starts a configuration around a validator built once for the service, as {@code BearerTokenFilter.builder(validator)} does. */
  public static Builder builder(AccessTokenValidator validator) {
    return new Builder(validator);
  }

  /**
   * Starts a configuration from core's settings model: the validator, {@code realm},
   * {@code allow-query-token}, {@code allow-form-token} and the {@code resource*} metadata of {@code config}, e.g.
   * {@code TokenwardFeature.builder(TokenwardConfig.load())} for the environment alone. The servlet
   * filter's path {@code rules} have no meaning here (rules come from annotations), so a
   * configuration that sets them is refused rather than silently ignored.
   *
   * @throws ConfigurationException naming the setting at fault
   */
  public static Builder builder(TokenwardConfig config) {
    if (config.isSet(StandardSettings.RULES)) {
      throw config.error(StandardSettings.RULES, "path rules are the servlet filter's; the JAX-RS feature takes its "
          + "rules from annotations (@Authenticated, @RequiresScopes, @RolesAllowed, ...)");
    }
    AccessTokenValidator validator = config.validator();
    Builder b = new Builder(validator).realm(config.get(StandardSettings.REALM))
        .tokenExtractor(BearerTokenExtractor.of(config.get(StandardSettings.ALLOW_QUERY_TOKEN),
            config.get(StandardSettings.ALLOW_FORM_TOKEN)));
    if (config.isSet(StandardSettings.RESOURCE) || config.isSet(StandardSettings.RESOURCE_NAME)
        || config.isSet(StandardSettings.RESOURCE_DOCUMENTATION) || config.isSet(StandardSettings.RESOURCE_POLICY_URI)) {
      // as the servlet filter: naming (or describing) the resource switches RFC 9728 metadata on
      b.resourceMetadata(ProtectedResourceMetadata.builder(validator, config).build());
    }
    config.stepUp().ifPresent(b::stepUp); // what @RequiresStepUp without attributes stands for
    return b;
  }

  /** True if methods without any security annotation (nor one on their class) require a valid token. */
  public boolean protectsUnannotated() {
    return protectUnannotated;
  }

  @Override
  public boolean configure(FeatureContext context) {
    if (metadata != null) {
      context.register(new MetadataFilter(metadata, serveMetadata, () -> scopesNamed), Priorities.AUTHENTICATION - 100);
    }
    context.register(new Binder());
    if (JERSEY) {
      context.register(new JerseyBinding()); // @Context VerifiedToken on Jersey
    }
    return true;
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, TokenwardFeature.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Binds the filters to each resource method, with the rule its annotations give it. */
  private final class Binder implements DynamicFeature {
    private final LocatorChain locators = new LocatorChain(protectUnannotated, stepUp, validator);
    private final AuthorizationFilter authorization = new AuthorizationFilter(realm);

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
      Class<?> resourceClass = resource.getResourceClass();
      Method method = resource.getResourceMethod();
      if (resourceClass == null || method == null) {
        return;
      }
      AccessRule rule = AccessRule.of(resourceClass, method, protectUnannotated, stepUp).checkEnforceableBy(validator);
      locators.check(resourceClass); // a misconfigured annotation on one of its locators fails deployment too
      log.debug("{}.{}: {}", resourceClass.getName(), method.getName(), rule);
      if (rule.requirement != null) {
        scopesNamed.addAll(rule.requirement.values());
      }
      context.register(new AuthenticationFilter(validator, extractor, maxFormBodyBytes, realm, rule, locators), Priorities.AUTHENTICATION);
      context.register(authorization, Priorities.AUTHORIZATION);
    }
  }

  /** Configures a {@link TokenwardFeature}. */
  public static final class Builder {
    /** The default of {@link #maxFormBodyBytes(int)}: 64 KiB. */
    public static final int DEFAULT_MAX_FORM_BODY_BYTES = 64 * 1024;

    private final AccessTokenValidator validator;
    private BearerTokenExtractor extractor = BearerTokenExtractor.headerOnly();
    private int maxFormBodyBytes = DEFAULT_MAX_FORM_BODY_BYTES;
    private String realm = BearerErrorResponse.DEFAULT_REALM;
    private boolean protectUnannotated = true;
    private ProtectedResourceMetadata metadata;
    private boolean serveMetadata = true;
    private StepUp stepUp;

    private Builder(AccessTokenValidator validator) {
      this.validator = Objects.requireNonNull(validator, "validator");
    }

    /**
     * Where tokens are looked for; default {@link BearerTokenExtractor#headerOnly()}. With
     * {@code BearerTokenExtractor.of(true, true)} the {@code access_token} query and form
     * parameters are accepted too (RFC 6750 sections 2.2 and 2.3); a form body is read up to
     * {@link #maxFormBodyBytes(int)}.
     */
    public Builder tokenExtractor(BearerTokenExtractor extractor) {
      this.extractor = Objects.requireNonNull(extractor, "extractor");
      return this;
    }

    /**
     * The most bytes of a form-encoded body read to look for an {@code access_token} field, when
     * form tokens are enabled; default {@value #DEFAULT_MAX_FORM_BODY_BYTES} (64 KiB). A larger body
     * is refused with 400 {@code invalid_request} before it is held in memory.
     */
    public Builder maxFormBodyBytes(int bytes) {
      if (bytes < 1 || bytes > 16 * 1024 * 1024) {
        throw new IllegalArgumentException("maxFormBodyBytes: " + bytes + " is not between 1 and 16 MiB");
      }
      this.maxFormBodyBytes = bytes;
      return this;
    }

    /** The {@code realm} of the {@code WWW-Authenticate} challenge; default {@value BearerErrorResponse#DEFAULT_REALM}. */
    public Builder realm(String realm) {
      Objects.requireNonNull(realm, "realm");
      if (realm.isBlank()) {
        throw new IllegalArgumentException("realm must not be blank");
      }
      this.realm = realm;
      return this;
    }

    /**
     * What a resource method with no security annotation, on a class with none, needs: a valid
     * token ({@code true}, the default: a forgotten annotation fails closed) or nothing
     * ({@code false}: only annotated resources are protected).
     */
    public Builder protectUnannotated(boolean protect) {
      this.protectUnannotated = protect;
      return this;
    }

    /**
     * Publishes the RFC 9728 metadata document (off by default): the feature serves it and every
     * challenge carries its URL as {@code resource_metadata}, as the Model Context Protocol requires.
     * Start from {@code ProtectedResourceMetadata.builder(validator)} (the validator's issuers as
     * {@code authorization_servers}); without a {@code resource} the identifier is taken from each
     * request's origin. The scopes of the resource annotations are added to it, and
     * {@code body}/{@code query} to {@code bearer_methods_supported} where the extractor allows them.
     */
    public Builder resourceMetadata(ProtectedResourceMetadata metadata) {
      this.metadata = Objects.requireNonNull(metadata, "resourceMetadata");
      return this;
    }

    /**
     * Whether the feature answers {@code GET /.well-known/oauth-protected-resource} itself once
     * {@link #resourceMetadata} is given; default true. Turn it off when the application serves the
     * document (with {@link ProtectedResourceMetadata#toJson()}); challenges still point to it.
     */
    public Builder serveResourceMetadata(boolean serve) {
      this.serveMetadata = serve;
      return this;
    }

    /**
     * The step-up policy (RFC 9470) that a {@link dev.tokenward.core.RequiresStepUp @RequiresStepUp}
     * without attributes stands for, so its values can come from configuration; without it such an
     * annotation fails deployment, naming the method.
     */
    public Builder stepUp(StepUp stepUp) {
      this.stepUp = Objects.requireNonNull(stepUp, "stepUp");
      return this;
    }

    /** The feature, ready to register. */
    public TokenwardFeature build() {
      return new TokenwardFeature(this);
    }
  }
}
