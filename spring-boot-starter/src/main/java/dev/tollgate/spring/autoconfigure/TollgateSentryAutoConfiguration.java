package dev.tollgate.spring.autoconfigure;

import dev.tollgate.health.sentry.SentryScrubber;
import io.sentry.SentryOptions;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * When {@code tollgate-sentry} (and so Sentry) is on the class path: Tollgate's PII scrubber as a bean, which
 * sentry-spring-boot installs as its {@code beforeSend}, {@code beforeSendTransaction} and {@code beforeBreadcrumb}
 * callbacks (it picks up one bean of each of those types). If the application defines its own callback bean of one of those types, set
 * {@code tollgate.sentry.enabled=false} and chain the scrubber after yours with {@code TollgateSentry.configure}.
 * Without sentry-spring-boot, call {@code TollgateSentry.configure} yourself.
 */
@AutoConfiguration
@ConditionalOnClass({SentryOptions.class, SentryScrubber.class})
@ConditionalOnProperty(name = "tollgate.sentry.enabled", havingValue = "true", matchIfMissing = true)
public class TollgateSentryAutoConfiguration {

    /** Created by Spring. */
    public TollgateSentryAutoConfiguration() {
    }

    /**
     * The scrubber.
     *
     * @return the scrubber
     */
    @Bean
    @ConditionalOnMissingBean
    public SentryScrubber tollgateSentryScrubber() {
        return new SentryScrubber();
    }
}
