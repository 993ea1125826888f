package dev.tollgate.spring.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.tollgate.spring.RequiresBilling;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A service secured as an OAuth2 resource server: every API call needs a bearer JWT signed by the test's issuer key;
 * the webhook paths are public (their signature is their authentication). It defines no TenantResolver and sets no
 * tollgate.billing.tenant.*: the starter's default takes the tenant from the token's {@code tenant_id} claim.
 */
@SpringBootApplication
public class SecuredApplication {

    /** The test issuer's signing key (generated once per run). */
    static final RSAKey ISSUER_KEY = generate();

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID("tollgate-test-issuer").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate the test issuer's key", e);
        }
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/webhooks/**").permitAll()
                        .anyRequest().authenticated())
                .csrf(AbstractHttpConfigurer::disable) // bearer tokens, no cookies
                .oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults()))
                .build();
    }

    @Bean
    JwtDecoder jwtDecoder() throws JOSEException {
        return NimbusJwtDecoder.withPublicKey(ISSUER_KEY.toRSAPublicKey()).build();
    }

    /** The gated API. */
    @RestController
    static class Projects {

        @PostMapping("/api/projects")
        @ResponseStatus(HttpStatus.CREATED)
        @RequiresBilling(operation = RequiresBilling.WRITE)
        String create() {
            return "{\"created\":true}";
        }

        @GetMapping("/api/projects")
        @RequiresBilling(operation = RequiresBilling.READ)
        String list() {
            return "[]";
        }
    }
}
