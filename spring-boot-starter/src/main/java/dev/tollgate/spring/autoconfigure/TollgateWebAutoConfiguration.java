package dev.tollgate.spring.autoconfigure;

import dev.tollgate.billing.BillingGate;
import dev.tollgate.spring.HeaderTenantResolver;
import dev.tollgate.spring.TenantResolver;
import dev.tollgate.spring.TollgateProperties;
import dev.tollgate.spring.internal.BillingGateFilter;
import dev.tollgate.spring.internal.RequiresBillingInterceptor;
import dev.tollgate.spring.internal.TenantSources;
import dev.tollgate.spring.internal.TollgateSettings;
import dev.tollgate.spring.internal.WebhookServlet;
import dev.tollgate.webhooks.WebhookPipeline;
import jakarta.servlet.ServletRegistration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The servlet side: webhook endpoints as plain servlets reading raw bytes, the {@link TenantResolver},
 * the {@code @RequiresBilling} interceptor and the optional gate filter.
 */
@AutoConfiguration(after = TollgateAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class TollgateWebAutoConfiguration {

    /** Created by Spring. */
    public TollgateWebAutoConfiguration() {
    }

    /**
     * The default tenant resolver, when the application defines none: with Spring Security the authenticated
     * principal's {@code tollgate.billing.tenant.claim} (or its name), a request header only with
     * {@code tollgate.billing.tenant.source=header}; otherwise start-up fails with
     * {@link dev.tollgate.spring.TollgateStartupException.Reason#NO_TENANT_SOURCE}.
     *
     * @param properties the properties
     * @param resourceLoader the application context, whose class loader is searched for Spring Security
     * @return the resolver
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(BillingGate.class)
    public TenantResolver tollgateTenantResolver(TollgateProperties properties, ResourceLoader resourceLoader) {
        return TenantSources.defaultResolver(properties.getBilling().getTenant(), resourceLoader.getClassLoader());
    }

    /**
     * The start-up marker {@code tollgate.billing.tenant source=…}: where the gate's tenant comes from.
     *
     * @param tenants the resolver in effect, if any
     * @return the listener
     */
    @Bean
    @ConditionalOnBean(BillingGate.class)
    public ApplicationListener<ApplicationReadyEvent> tollgateTenantSourceMarker(ObjectProvider<TenantResolver> tenants) {
        return TenantSources.marker(tenants::getIfUnique);
    }

    /**
     * Registers one servlet per enabled provider at its path.
     *
     * @param pipeline the pipeline
     * @param settings the settings
     * @return the initializer
     */
    @Bean
    @ConditionalOnBean(WebhookPipeline.class)
    public ServletContextInitializer tollgateWebhookEndpoints(WebhookPipeline pipeline, TollgateSettings settings) {
        TollgateProperties.Webhooks webhooks = settings.properties().getWebhooks();
        int limit = webhooks.getMaxBodyBytes();
        return context -> {
            if (settings.stripeEnabled()) {
                register(context.addServlet("tollgateStripeWebhook",
                        new WebhookServlet(pipeline, "stripe", limit)), webhooks.getStripe().getPath());
            }
            if (settings.revenueCatEnabled()) {
                register(context.addServlet("tollgateRevenueCatWebhook",
                        new WebhookServlet(pipeline, "revenuecat", limit)), webhooks.getRevenuecat().getPath());
            }
            if (settings.standardWebhooksEnabled()) {
                TollgateProperties.StandardWebhooks standard = webhooks.getStandardWebhooks();
                register(context.addServlet("tollgateStandardWebhook",
                        new WebhookServlet(pipeline, standard.getProvider(), limit)), standard.getPath());
            }
        };
    }

    private static void register(ServletRegistration.Dynamic servlet, String path) {
        servlet.addMapping(path);
        servlet.setLoadOnStartup(1);
    }

    /** The gate on Spring MVC handler methods annotated {@code @RequiresBilling}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebMvcConfigurer.class)
    @ConditionalOnBean(BillingGate.class)
    static class Annotation {

        @Bean
        WebMvcConfigurer tollgateRequiresBilling(BillingGate gate, TenantResolver tenants, TollgateProperties properties) {
            String hint = tenants instanceof HeaderTenantResolver header
                    ? "send it in the " + header.header() + " header"
                    : "sign in as a member of a tenant (with credentials that carry the tenant)";
            RequiresBillingInterceptor interceptor = new RequiresBillingInterceptor(gate, tenants, hint);
            return new WebMvcConfigurer() {
                @Override
                public void addInterceptors(InterceptorRegistry registry) {
                    registry.addInterceptor(interceptor);
                }
            };
        }
    }

    /** The gate as a servlet filter over {@code tollgate.billing.filter.url-patterns}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(BillingGate.class)
    @ConditionalOnProperty(name = "tollgate.billing.filter.enabled", havingValue = "true")
    static class Filter {

        @Bean
        @ConditionalOnMissingBean(name = "tollgateBillingGateFilter")
        FilterRegistrationBean<BillingGateFilter> tollgateBillingGateFilter(BillingGate gate, TenantResolver tenants,
                                                                           TollgateProperties properties) {
            FilterRegistrationBean<BillingGateFilter> registration =
                    new FilterRegistrationBean<>(new BillingGateFilter(gate, tenants));
            registration.setName("tollgateBillingGateFilter");
            registration.setUrlPatterns(properties.getBilling().getFilter().getUrlPatterns());
            return registration;
        }
    }
}
