package dev.herald.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The REST API's OpenAPI description: versioned under /api/v1, a company API key as bearer token.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  @Bean
  OpenAPI heraldOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Herald API")
                .version("v1")
                .description(
                    "Contacts, messages and SMS for your company. Authenticate with a company API key:"
                        + " Authorization: Bearer <key>. Errors are RFC 9457 problem details."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "apiKey",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("Company API key")))
        .addSecurityItem(new SecurityRequirement().addList("apiKey"));
  }
}
