package dev.tokenward.samples.springboot;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.Requirement;
import dev.tokenward.servlet.BearerTokenFilter;
import java.util.Arrays;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * A Spring Boot application (Spring MVC on embedded Tomcat, without Spring Security) whose API the tokenward servlet
 * filter protects. The filter is an ordinary servlet filter, so Boot registers it with a
 * {@link FilterRegistrationBean}; the validator is a bean that Boot closes on shutdown.
 *
 * <p>Configuration comes from Spring's environment: {@code tokenward.issuer} and {@code tokenward.audience} in
 * {@code application.properties}, or the environment variables {@code TOKENWARD_ISSUER} and {@code TOKENWARD_AUDIENCE}
 * through Boot's relaxed binding.
 */
@SpringBootApplication
public class SpringBootSample {

  /** Starts the application. */
  public static void main(String[] args) {
    SpringApplication.run(SpringBootSample.class, args);
  }

  /** One validator for the application: immutable and thread-safe; Boot calls its {@code close()} on shutdown. */
  @Bean
  AccessTokenValidator accessTokenValidator(@Value("${tokenward.issuer}") String issuer,
                                            @Value("${tokenward.audience}") String audience) {
    return AccessTokenValidator.builder()
        .issuer(issuer)
        .audience(Arrays.stream(audience.split(",")).map(String::trim).toArray(String[]::new))
        .build();
  }

  /** The filter on every request, before Spring MVC; only the paths it has rules for need a token. */
  @Bean
  FilterRegistrationBean<BearerTokenFilter> tokenwardFilter(AccessTokenValidator validator) {
    BearerTokenFilter filter = BearerTokenFilter.builder(validator)
        .authenticated("/api/private")
        .require("/api/private-scoped", Requirement.allOf("read:messages"))
        .build();
    FilterRegistrationBean<BearerTokenFilter> registration = new FilterRegistrationBean<>(filter);
    registration.setName("tokenward");
    registration.addUrlPatterns("/*");
    // before any filter that could act on the caller's behalf; Boot's own filters (encoding, ...) come first
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
    return registration;
  }
}
