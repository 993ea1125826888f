package dev.tollgate.spring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class ReadinessDefaultsTest {

    @Test
    void puts_tollgate_into_readiness_only_and_turns_the_probes_on() {
        StandardEnvironment environment = new StandardEnvironment();
        new ReadinessDefaults().postProcessEnvironment(environment, new SpringApplication());
        assertEquals("readinessState,tollgate", environment.getProperty(ReadinessDefaults.INCLUDE));
        assertEquals("true", environment.getProperty(ReadinessDefaults.PROBES));
        assertNull(environment.getProperty("management.endpoint.health.group.liveness.include"));
    }

    @Test
    void the_application_s_own_values_win() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("app",
                Map.of(ReadinessDefaults.INCLUDE, "readinessState,db", ReadinessDefaults.PROBES, "false")));
        new ReadinessDefaults().postProcessEnvironment(environment, new SpringApplication());
        assertEquals("readinessState,db", environment.getProperty(ReadinessDefaults.INCLUDE));
        assertEquals("false", environment.getProperty(ReadinessDefaults.PROBES));
    }

    @Test
    void off_when_health_or_readiness_is_switched_off() {
        for (String off : new String[] {"tollgate.health.readiness", "tollgate.health.enabled"}) {
            StandardEnvironment environment = new StandardEnvironment();
            environment.getPropertySources().addFirst(new MapPropertySource("app", Map.of(off, "false")));
            new ReadinessDefaults().postProcessEnvironment(environment, new SpringApplication());
            assertNull(environment.getProperty(ReadinessDefaults.INCLUDE), off);
        }
    }
}
