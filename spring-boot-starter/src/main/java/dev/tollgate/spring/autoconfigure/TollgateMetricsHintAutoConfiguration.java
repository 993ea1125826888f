package dev.tollgate.spring.autoconfigure;

import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The application has a Micrometer registry but not {@code dev.tollgate:tollgate-micrometer}, where Tollgate's
 * meters live: says so once at start-up (logger {@code dev.tollgate.startup}) instead of leaving the meters
 * silently absent. {@code tollgate.metrics.enabled=false} quiets it.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"})
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnMissingClass("dev.tollgate.health.micrometer.MicrometerHealthObserver")
@ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnProperty(name = "tollgate.metrics.enabled", havingValue = "true", matchIfMissing = true)
class TollgateMetricsHintAutoConfiguration {

    /** What is said. */
    static final String HINT = "tollgate.metrics.off reason=missing-artifact: the application has a Micrometer"
            + " registry but dev.tollgate:tollgate-micrometer is not on the class path, so Tollgate records no"
            + " meters; add it (version from tollgate-bom), or set tollgate.metrics.enabled=false";

    @Bean
    MissingMetricsArtifact tollgateMissingMetricsArtifact() {
        return new MissingMetricsArtifact();
    }

    /** Logs {@link #HINT} once every singleton exists. */
    static final class MissingMetricsArtifact implements SmartInitializingSingleton {

        @Override
        public void afterSingletonsInstantiated() {
            LoggerFactory.getLogger("dev.tollgate.startup").warn(HINT);
        }
    }
}
