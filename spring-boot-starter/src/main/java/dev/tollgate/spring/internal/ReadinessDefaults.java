package dev.tollgate.spring.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Puts Tollgate's health contributor into Actuator's {@code readiness} group (and turns the probe groups
 * on) as defaults of the lowest precedence: any value the application sets wins. Liveness is left alone,
 * so it never checks a dependency. Off with {@code tollgate.health.readiness=false}.
 */
public final class ReadinessDefaults implements EnvironmentPostProcessor {

    static final String SOURCE = "tollgateReadinessDefaults";
    static final String INCLUDE = "management.endpoint.health.group.readiness.include";
    static final String PROBES = "management.endpoint.health.probes.enabled";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!Boolean.parseBoolean(environment.getProperty("tollgate.health.readiness", "true"))
                || !Boolean.parseBoolean(environment.getProperty("tollgate.health.enabled", "true"))) {
            return;
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put(PROBES, "true");
        defaults.put(INCLUDE, "readinessState,tollgate");
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
    }
}
