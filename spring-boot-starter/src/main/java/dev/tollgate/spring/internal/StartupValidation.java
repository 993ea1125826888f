package dev.tollgate.spring.internal;

import dev.tollgate.Secret;
import dev.tollgate.TollgateException;
import dev.tollgate.health.config.ConfigProblem;
import dev.tollgate.health.config.ConfigReport;
import dev.tollgate.health.config.ConfigSetting;
import dev.tollgate.health.config.ProductionConfigValidator;
import dev.tollgate.spring.TollgateProperties;
import dev.tollgate.spring.TollgateStartupException;
import dev.tollgate.webhooks.RevenueCatVerifier;
import dev.tollgate.webhooks.StandardWebhooksVerifier;
import dev.tollgate.webhooks.StripeVerifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the whole Tollgate configuration once, before anything is built, and stops start-up with one
 * {@link TollgateStartupException} naming every problem. Secret values never appear: messages name the
 * property, and the verifiers' and the production validator's own messages show masked values only.
 */
public final class StartupValidation {

    private static final Logger LOG = LoggerFactory.getLogger(StartupValidation.class);
    private static final Pattern FUNCTION = Pattern.compile("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()+,;=:@/-]*");

    private final ProductionConfigValidator validator;
    private final @Nullable ConfigReport report;

    private StartupValidation(ProductionConfigValidator validator, @Nullable ConfigReport report) {
        this.validator = validator;
        this.report = report;
    }

    /**
     * Validates.
     *
     * @param settings the settings in effect
     * @param hasDataSource whether the application has a DataSource
     * @return the validation, holding the production validator for the health check
     * @throws TollgateStartupException naming every problem
     */
    public static StartupValidation run(TollgateSettings settings, boolean hasDataSource) {
        TollgateProperties properties = settings.properties();
        ProductionConfigValidator validator = ProductionConfigValidator.builder()
                .environment(settings.validatorVariables())
                .optional(properties.getValidation().getOptional().toArray(ConfigSetting[]::new))
                .build();
        if (!properties.getValidation().isEnabled()) {
            return new StartupValidation(validator, null);
        }
        List<String> problems = new ArrayList<>();
        TollgateProperties.Webhooks webhooks = properties.getWebhooks();
        Map<String, String> paths = new HashMap<>();
        // a bad limit is reported once below, not once more by every verifier
        int limit = webhooks.getMaxBodyBytes() >= 1 ? webhooks.getMaxBodyBytes() : StripeVerifier.DEFAULT_MAX_BODY_BYTES;
        if (settings.stripeEnabled()) {
            TollgateProperties.Stripe stripe = webhooks.getStripe();
            Secret secret = settings.stripeSecret();
            if (secret == null) {
                problems.add("the Stripe webhook endpoint is enabled but has no signing secret: set"
                        + " tollgate.webhooks.stripe.secret (or TOLLGATE_STRIPE_WEBHOOK_SECRET) to the endpoint's"
                        + " whsec_… secret from the Stripe dashboard, or tollgate.webhooks.stripe.enabled=false");
            } else {
                check(problems, "tollgate.webhooks.stripe", () -> StripeVerifier.builder().secret(secret)
                        .tolerance(stripe.getTolerance()).maxBodyBytes(limit).build());
            }
            path(problems, paths, "tollgate.webhooks.stripe.path", stripe.getPath());
        }
        if (settings.revenueCatEnabled()) {
            TollgateProperties.RevenueCat revenueCat = webhooks.getRevenuecat();
            Secret authorization = settings.revenueCatAuthorization();
            if (authorization == null) {
                problems.add("the RevenueCat webhook endpoint is enabled but has no authorization value: set"
                        + " tollgate.webhooks.revenuecat.authorization (or TOLLGATE_REVENUECAT_WEBHOOK_SECRET) to the"
                        + " value configured in RevenueCat's webhook settings, or tollgate.webhooks.revenuecat.enabled=false");
            } else {
                check(problems, "tollgate.webhooks.revenuecat", () -> RevenueCatVerifier.builder()
                        .authorization(authorization).maxBodyBytes(limit).build());
            }
            path(problems, paths, "tollgate.webhooks.revenuecat.path", revenueCat.getPath());
        }
        if (settings.standardWebhooksEnabled()) {
            TollgateProperties.StandardWebhooks standard = webhooks.getStandardWebhooks();
            Secret secret = settings.standardWebhooksSecret();
            if (secret == null) {
                problems.add("the Standard Webhooks endpoint is enabled but has no secret: set"
                        + " tollgate.webhooks.standard-webhooks.secret (whsec_ followed by base64), or"
                        + " tollgate.webhooks.standard-webhooks.enabled=false");
            } else {
                check(problems, "tollgate.webhooks.standard-webhooks", () -> StandardWebhooksVerifier.builder()
                        .secret(secret).provider(standard.getProvider()).tolerance(standard.getTolerance())
                        .maxBodyBytes(limit).build());
            }
            path(problems, paths, "tollgate.webhooks.standard-webhooks.path", standard.getPath());
        }
        if (webhooks.getMaxAttempts() < 1) {
            problems.add("tollgate.webhooks.max-attempts must be at least 1, but was " + webhooks.getMaxAttempts());
        }
        if (webhooks.getMaxBodyBytes() < 1) {
            problems.add("tollgate.webhooks.max-body-bytes must be at least 1, but was " + webhooks.getMaxBodyBytes());
        }
        positive(problems, "tollgate.webhooks.lease", webhooks.getLease());
        positive(problems, "tollgate.webhooks.timeout", webhooks.getTimeout());
        if (webhooks.getDuplicateCacheEntries() < 0) {
            problems.add("tollgate.webhooks.duplicate-cache-entries must be at least 0 (0 turns the cache off), but was "
                    + webhooks.getDuplicateCacheEntries());
        }
        positive(problems, "tollgate.webhooks.duplicate-cache-ttl", webhooks.getDuplicateCacheTtl());
        if (webhooks.isEnabled() && webhooks.getStore() == TollgateProperties.StoreType.POSTGRES && !hasDataSource) {
            problems.add("tollgate.webhooks.store is postgres but the application has no DataSource: add"
                    + " spring-boot-starter-jdbc and spring.datasource.url, or set tollgate.webhooks.store=memory");
        }
        TollgateProperties.Billing billing = properties.getBilling();
        positive(problems, "tollgate.billing.timeout", billing.getTimeout());
        if (billing.getCacheMaximumSize() < 1) {
            problems.add("tollgate.billing.cache-maximum-size must be at least 1, but was " + billing.getCacheMaximumSize());
        }
        Duration ttl = billing.getCacheTtl();
        if (ttl.toMillis() < 1 || ttl.compareTo(Duration.ofHours(1)) > 0) {
            problems.add("tollgate.billing.cache-ttl must be between 1ms and 1h, but was " + ttl);
        }
        TollgateProperties.Tenant tenant = billing.getTenant();
        if (tenant.getHeader() == null || tenant.getHeader().isBlank()) {
            problems.add("tollgate.billing.tenant.header must not be blank");
        }
        if (tenant.getClaim() == null || tenant.getClaim().isBlank()) {
            problems.add("tollgate.billing.tenant.claim must not be blank");
        }
        if (settings.isSet("tollgate.billing.tenant-header")) {
            problems.add("tollgate.billing.tenant-header is no longer read: the billing gate trusts a header only when"
                    + " asked to, behind a trusted proxy. Set tollgate.billing.tenant.source=header and"
                    + " tollgate.billing.tenant.header instead, or let Spring Security's authentication name the"
                    + " tenant (tollgate.billing.tenant.claim)");
        }
        if (billing.getFilter().isEnabled()) {
            List<String> patterns = billing.getFilter().getUrlPatterns();
            if (patterns.isEmpty() || patterns.stream().anyMatch(p -> p == null || p.isBlank())) {
                problems.add("tollgate.billing.filter.url-patterns must list at least one non-blank pattern, but was "
                        + patterns);
            }
        }
        TollgateProperties.Health health = properties.getHealth();
        positive(problems, "tollgate.health.timeout", health.getTimeout());
        if (health.getVerifierCacheFor().isNegative()) {
            problems.add("tollgate.health.verifier-cache-for must not be negative, but was " + health.getVerifierCacheFor());
        }
        List<String> verifiers = health.getVerifiers();
        if (verifiers != null) {
            for (String function : verifiers) {
                if (function == null || !FUNCTION.matcher(function).matches()) {
                    problems.add("tollgate.health.verifiers: '" + shorten(function)
                            + "' is not schema.function in lower-case SQL identifiers");
                }
            }
        }
        ConfigReport report = validator.validate();
        if (report.production()) {
            for (ConfigProblem problem : report.problems()) {
                problems.add(problem.message());
            }
        } else {
            report.problems().forEach(p -> LOG.warn("tollgate.config.problem reason={} {}", p.reason(), p.message()));
        }
        if (!problems.isEmpty()) {
            throw new TollgateStartupException(problems);
        }
        return new StartupValidation(validator, report);
    }

    /** @return the production validator, for the configuration health check */
    public ProductionConfigValidator validator() {
        return validator;
    }

    /** @return the start-up report, or null when validation is off */
    public @Nullable ConfigReport report() {
        return report;
    }

    private static void check(List<String> problems, String prefix, Runnable build) {
        try {
            build.run();
        } catch (TollgateException | IllegalArgumentException e) {
            problems.add(prefix + ": " + e.getMessage());
        }
    }

    private static void path(List<String> problems, Map<String, String> seen, String property, String path) {
        Objects.requireNonNull(property, "property");
        if (path == null || !PATH.matcher(path).matches() || path.contains("*")) {
            problems.add(property + " must be an absolute path such as /webhooks/stripe, without wildcards, but was '"
                    + shorten(path) + "'");
            return;
        }
        String previous = seen.putIfAbsent(path, property);
        if (previous != null) {
            problems.add(property + " and " + previous + " are both '" + path + "': give each endpoint its own path");
        }
    }

    private static void positive(List<String> problems, String property, Duration value) {
        if (value.isZero() || value.isNegative()) {
            problems.add(property + " must be positive, but was " + value);
        }
    }

    private static String shorten(@Nullable String value) {
        if (value == null) {
            return "null";
        }
        return value.length() > 60 ? value.substring(0, 60) + "…" : value;
    }
}
