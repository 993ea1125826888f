package dev.tollgate.spring;

import dev.tollgate.Secret;
import dev.tollgate.billing.EnforcementMode;
import dev.tollgate.billing.FailMode;
import dev.tollgate.health.config.ConfigSetting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tollgate's {@code tollgate.*} properties. Every part of the starter can be switched off here; secrets
 * are bound as {@link Secret} (masked in {@code toString()}). Validated at start-up: every problem is
 * reported at once in a {@link TollgateStartupException}.
 *
 * <pre>
 * tollgate.webhooks.stripe.secret=${STRIPE_WEBHOOK_SECRET}
 * tollgate.webhooks.revenuecat.authorization=${REVENUECAT_WEBHOOK_SECRET}
 * </pre>
 */
@ConfigurationProperties("tollgate")
public class TollgateProperties {

    /**
     * Deployment environment (production, staging, development, test); in production the health
     * module's production checks stop start-up. Falls back to TOLLGATE_ENVIRONMENT / ENVIRONMENT / APP_ENV.
     */
    private @Nullable String environment;

    private final Migrations migrations = new Migrations();
    private final Webhooks webhooks = new Webhooks();
    private final Billing billing = new Billing();
    private final Health health = new Health();
    private final Validation validation = new Validation();
    private final Sentry sentry = new Sentry();
    private final Metrics metrics = new Metrics();

    /** @return the deployment environment, or null to read it from the environment variables */
    public @Nullable String getEnvironment() {
        return environment;
    }

    /** @param environment the deployment environment */
    public void setEnvironment(@Nullable String environment) {
        this.environment = environment;
    }

    /** @return the migration settings */
    public Migrations getMigrations() {
        return migrations;
    }

    /** @return the webhook settings */
    public Webhooks getWebhooks() {
        return webhooks;
    }

    /** @return the billing gate settings */
    public Billing getBilling() {
        return billing;
    }

    /** @return the health settings */
    public Health getHealth() {
        return health;
    }

    /** @return the start-up validation settings */
    public Validation getValidation() {
        return validation;
    }

    /** @return the Sentry settings */
    public Sentry getSentry() {
        return sentry;
    }

    /** @return the metrics settings */
    public Metrics getMetrics() {
        return metrics;
    }

    /** Where the idempotency store keeps webhook events. */
    public enum StoreType {
        /** PostgreSQL when the application has a DataSource, otherwise in memory. */
        AUTO,
        /** PostgreSQL on the application's DataSource ({@code webhooks.events}). */
        POSTGRES,
        /** In memory: one process only, lost on restart (tests, demos). */
        MEMORY
    }

    /** {@code tollgate.migrations.*}. */
    public static class Migrations {

        /**
         * Apply Tollgate's SQL migrations (db/tollgate/&lt;module&gt;) to the application's DataSource at start,
         * before the application's own Flyway or Liquibase runs. Unset: on.
         */
        private @Nullable Boolean enabled;

        /**
         * Which tool applies and records them. AUTO: the application's Flyway when Flyway is on the class path
         * (and spring.flyway.enabled is not false), else its Liquibase likewise, else Tollgate's own
         * SchemaMigrator. Tollgate's history never shares the application's table.
         */
        private Tool tool = Tool.AUTO;

        /** @return whether to migrate, or null for the default (on) */
        public @Nullable Boolean getEnabled() {
            return enabled;
        }

        /** @param enabled whether to migrate */
        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the tool that applies the migrations */
        public Tool getTool() {
            return tool;
        }

        /** @param tool the tool that applies the migrations */
        public void setTool(Tool tool) {
            this.tool = tool;
        }

        /** The tool that applies Tollgate's migrations. */
        public enum Tool {
            /** Flyway if present, else Liquibase if present, else SchemaMigrator. */
            AUTO,
            /** Tollgate's own migrator; history in tollgate.schema_history. */
            SCHEMA_MIGRATOR,
            /** One Flyway per module; history in tollgate.flyway_&lt;module&gt;_history. */
            FLYWAY,
            /** Each module's Liquibase changelog; history in tollgate.liquibase_changelog. */
            LIQUIBASE
        }
    }

    /** {@code tollgate.webhooks.*}. */
    public static class Webhooks {

        /** Whether to create the webhook pipeline and its endpoints at all. */
        private boolean enabled = true;
        /** Where the idempotency store keeps events. */
        private StoreType store = StoreType.AUTO;
        /** Failures before an event is dead-lettered. */
        private int maxAttempts = 5;
        /**
         * How long a claim is held before another delivery or worker may take over. Asynchronous workers renew it
         * every third of it while a handler runs, so a crashed replica's events move within one lease.
         */
        private Duration lease = Duration.ofSeconds(30);
        /**
         * How long each of the store's statements (a transactional handler's included) may wait for PostgreSQL,
         * also when it hangs rather than fails; then the delivery is answered 503 and the provider retries.
         */
        private Duration timeout = Duration.ofSeconds(5);
        /** Largest accepted body; larger ones are refused with 413 before hashing. */
        private int maxBodyBytes = 1 << 20;
        /** Events remembered as processed, so that their redeliveries skip the store; 0 turns the cache off. */
        private int duplicateCacheEntries = 10_000;
        /** How long an event stays in the duplicate cache. */
        private Duration duplicateCacheTtl = Duration.ofMinutes(10);
        private final Stripe stripe = new Stripe();
        private final RevenueCat revenuecat = new RevenueCat();
        private final StandardWebhooks standardWebhooks = new StandardWebhooks();

        /** @return whether webhooks are on */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether webhooks are on */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the store type */
        public StoreType getStore() {
            return store;
        }

        /** @param store the store type */
        public void setStore(StoreType store) {
            this.store = store;
        }

        /** @return failures before dead-lettering */
        public int getMaxAttempts() {
            return maxAttempts;
        }

        /** @param maxAttempts failures before dead-lettering */
        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /** @return the claim lease */
        public Duration getLease() {
            return lease;
        }

        /** @param lease the claim lease */
        public void setLease(Duration lease) {
            this.lease = lease;
        }

        /** @return how long each statement may wait for the database */
        public Duration getTimeout() {
            return timeout;
        }

        /** @param timeout how long each statement may wait for the database */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        /** @return the body limit in bytes */
        public int getMaxBodyBytes() {
            return maxBodyBytes;
        }

        /** @param maxBodyBytes the body limit in bytes */
        public void setMaxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
        }

        /** @return the duplicate cache's size (0: off) */
        public int getDuplicateCacheEntries() {
            return duplicateCacheEntries;
        }

        /** @param duplicateCacheEntries the duplicate cache's size (0: off) */
        public void setDuplicateCacheEntries(int duplicateCacheEntries) {
            this.duplicateCacheEntries = duplicateCacheEntries;
        }

        /** @return how long an event stays in the duplicate cache */
        public Duration getDuplicateCacheTtl() {
            return duplicateCacheTtl;
        }

        /** @param duplicateCacheTtl how long an event stays in the duplicate cache */
        public void setDuplicateCacheTtl(Duration duplicateCacheTtl) {
            this.duplicateCacheTtl = duplicateCacheTtl;
        }

        /** @return the Stripe endpoint settings */
        public Stripe getStripe() {
            return stripe;
        }

        /** @return the RevenueCat endpoint settings */
        public RevenueCat getRevenuecat() {
            return revenuecat;
        }

        /** @return the Standard Webhooks endpoint settings */
        public StandardWebhooks getStandardWebhooks() {
            return standardWebhooks;
        }
    }

    /**
     * What every provider's webhook endpoint has: {@code tollgate.webhooks.<provider>.enabled} and
     * {@code .path}. Each provider's type ({@link Stripe}, {@link RevenueCat}, {@link StandardWebhooks}) extends it
     * with its own credential and settings and gives its own default path.
     */
    public abstract static class WebhookEndpoint {

        /**
         * Whether the endpoint exists. Unset: when its secret (RevenueCat: its authorization value) is configured.
         * True without one stops start-up.
         */
        private @Nullable Boolean enabled;
        /** The endpoint path. */
        private String path;

        WebhookEndpoint(String defaultPath) {
            this.path = defaultPath;
        }

        /** @return whether on, or null for "when the endpoint's secret or authorization value is set" */
        public @Nullable Boolean getEnabled() {
            return enabled;
        }

        /** @param enabled whether on */
        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the path */
        public String getPath() {
            return path;
        }

        /** @param path the path */
        public void setPath(String path) {
            this.path = path;
        }
    }

    /** {@code tollgate.webhooks.stripe.*}. */
    public static class Stripe extends WebhookEndpoint {

        /**
         * The signing secret (whsec_...). Falls back to TOLLGATE_STRIPE_WEBHOOK_SECRET, then
         * STRIPE_WEBHOOK_SECRET.
         */
        private @Nullable Secret secret;
        /** How old (or how far in the future) a signed timestamp may be. */
        private Duration tolerance = Duration.ofMinutes(5);

        /** Settings with the default path, {@code /webhooks/stripe}. */
        public Stripe() {
            super("/webhooks/stripe");
        }

        /** @return the secret, or null */
        public @Nullable Secret getSecret() {
            return secret;
        }

        /** @param secret the secret */
        public void setSecret(@Nullable Secret secret) {
            this.secret = secret;
        }

        /** @return the timestamp tolerance */
        public Duration getTolerance() {
            return tolerance;
        }

        /** @param tolerance the timestamp tolerance */
        public void setTolerance(Duration tolerance) {
            this.tolerance = tolerance;
        }
    }

    /** {@code tollgate.webhooks.revenuecat.*}. */
    public static class RevenueCat extends WebhookEndpoint {

        /**
         * The Authorization header value RevenueCat sends. Falls back to TOLLGATE_REVENUECAT_WEBHOOK_SECRET,
         * then REVENUECAT_WEBHOOK_SECRET.
         */
        private @Nullable Secret authorization;

        /** Settings with the default path, {@code /webhooks/revenuecat}. */
        public RevenueCat() {
            super("/webhooks/revenuecat");
        }

        /** @return the authorization value, or null */
        public @Nullable Secret getAuthorization() {
            return authorization;
        }

        /** @param authorization the authorization value */
        public void setAuthorization(@Nullable Secret authorization) {
            this.authorization = authorization;
        }
    }

    /** {@code tollgate.webhooks.standard-webhooks.*}. */
    public static class StandardWebhooks extends WebhookEndpoint {

        /** The provider name events are stored under. */
        private String provider = "standard-webhooks";
        /** The signing secret (whsec_ followed by base64). */
        private @Nullable Secret secret;
        /** How old (or how far in the future) a signed timestamp may be. */
        private Duration tolerance = Duration.ofMinutes(5);

        /** Settings with the default path, {@code /webhooks/standard}. */
        public StandardWebhooks() {
            super("/webhooks/standard");
        }

        /** @return the provider name */
        public String getProvider() {
            return provider;
        }

        /** @param provider the provider name */
        public void setProvider(String provider) {
            this.provider = provider;
        }

        /** @return the secret, or null */
        public @Nullable Secret getSecret() {
            return secret;
        }

        /** @param secret the secret */
        public void setSecret(@Nullable Secret secret) {
            this.secret = secret;
        }

        /** @return the timestamp tolerance */
        public Duration getTolerance() {
            return tolerance;
        }

        /** @param tolerance the timestamp tolerance */
        public void setTolerance(Duration tolerance) {
            this.tolerance = tolerance;
        }
    }

    /** {@code tollgate.billing.*}. */
    public static class Billing {

        /** Whether to create the billing gate, apply billing webhooks and gate @RequiresBilling methods. */
        private boolean enabled = true;
        /** Enforcement: on, off or report-only (decide, log and count denials, allow). */
        private EnforcementMode enforcement = EnforcementMode.ON;
        /** Whether purchases are allowed; false answers 503 to purchase operations (kill switch). */
        private boolean purchasesEnabled = true;
        /** How long a tenant's billing state is cached; NOTIFY invalidates sooner. */
        private Duration cacheTtl = Duration.ofSeconds(10);
        /**
         * How long a cache miss's read may wait for PostgreSQL, also when it hangs rather than fails; then the gate
         * serves the tenant's last known state, or allows.
         */
        private Duration timeout = Duration.ofSeconds(2);
        /** The most tenants the gate caches; beyond it the least likely to be asked again are evicted. */
        private int cacheMaximumSize = 100_000;
        /**
         * When a tenant's state cannot be read and nothing is cached for it: open (allow) or closed (503
         * billing_unavailable).
         */
        private FailMode failMode = FailMode.OPEN;
        /** Whether to LISTEN for billing changes on PostgreSQL and invalidate the cache at once. */
        private boolean listenerEnabled = true;
        private final Filter filter = new Filter();
        private final Tenant tenant = new Tenant();

        /** @return whether billing is on */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether billing is on */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the enforcement mode */
        public EnforcementMode getEnforcement() {
            return enforcement;
        }

        /** @param enforcement the enforcement mode */
        public void setEnforcement(EnforcementMode enforcement) {
            this.enforcement = enforcement;
        }

        /** @return whether purchases are allowed */
        public boolean isPurchasesEnabled() {
            return purchasesEnabled;
        }

        /** @param purchasesEnabled whether purchases are allowed */
        public void setPurchasesEnabled(boolean purchasesEnabled) {
            this.purchasesEnabled = purchasesEnabled;
        }

        /** @return the cache time to live */
        public Duration getCacheTtl() {
            return cacheTtl;
        }

        /** @param cacheTtl the cache time to live */
        public void setCacheTtl(Duration cacheTtl) {
            this.cacheTtl = cacheTtl;
        }

        /** @return how long a read may wait for the database */
        public Duration getTimeout() {
            return timeout;
        }

        /** @param timeout how long a read may wait for the database */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        /** @return the most tenants the gate caches */
        public int getCacheMaximumSize() {
            return cacheMaximumSize;
        }

        /** @param cacheMaximumSize the most tenants the gate caches */
        public void setCacheMaximumSize(int cacheMaximumSize) {
            this.cacheMaximumSize = cacheMaximumSize;
        }

        /** @return what the gate does when a state cannot be read */
        public FailMode getFailMode() {
            return failMode;
        }

        /** @param failMode what the gate does when a state cannot be read */
        public void setFailMode(FailMode failMode) {
            this.failMode = failMode;
        }

        /** @return whether the NOTIFY listener runs */
        public boolean isListenerEnabled() {
            return listenerEnabled;
        }

        /** @param listenerEnabled whether the NOTIFY listener runs */
        public void setListenerEnabled(boolean listenerEnabled) {
            this.listenerEnabled = listenerEnabled;
        }

        /** @return the servlet filter settings */
        public Filter getFilter() {
            return filter;
        }

        /** @return where a request's tenant comes from */
        public Tenant getTenant() {
            return tenant;
        }
    }

    /**
     * {@code tollgate.billing.tenant.*}: where the billing gate reads a request's tenant from, when the application
     * defines no {@link TenantResolver} bean of its own.
     */
    public static class Tenant {

        /**
         * Where the tenant comes from: authentication (a claim or attribute of the authenticated principal; the
         * default when Spring Security is on the class path), principal-name (the authenticated principal's name),
         * or header (a request header; only behind a trusted proxy that sets it and strips it from client requests).
         * Without Spring Security, a TenantResolver bean or this setting, start-up fails.
         */
        private @Nullable TenantSource source;
        /** The claim (JWT) or attribute (OAuth2 principal) holding the tenant id, for source authentication. */
        private String claim = AuthenticationTenantResolver.DEFAULT_CLAIM;
        /** The request header holding the tenant id, for source header. */
        private String header = HeaderTenantResolver.DEFAULT_HEADER;

        /** @return the source, or {@code null} to choose by the class path */
        public @Nullable TenantSource getSource() {
            return source;
        }

        /** @param source the source, or {@code null} to choose by the class path */
        public void setSource(@Nullable TenantSource source) {
            this.source = source;
        }

        /** @return the claim or attribute name */
        public String getClaim() {
            return claim;
        }

        /** @param claim the claim or attribute name */
        public void setClaim(String claim) {
            this.claim = claim;
        }

        /** @return the header name */
        public String getHeader() {
            return header;
        }

        /** @param header the header name */
        public void setHeader(String header) {
            this.header = header;
        }
    }

    /** Where the billing gate reads a request's tenant from ({@code tollgate.billing.tenant.source}). */
    public enum TenantSource {
        /** A claim or attribute of Spring Security's current {@code Authentication} ({@code tollgate.billing.tenant.claim}). */
        AUTHENTICATION,
        /** The name of Spring Security's current {@code Authentication}. */
        PRINCIPAL_NAME,
        /** A request header ({@code tollgate.billing.tenant.header}): only when a trusted proxy sets it. */
        HEADER
    }

    /** {@code tollgate.billing.filter.*}: the gate as a servlet filter over URL patterns. */
    public static class Filter {

        /**
         * Whether to gate every request under the URL patterns (GET, HEAD, OPTIONS as read, anything else
         * as write). Requests without a tenant pass.
         */
        private boolean enabled = false;
        /** Servlet URL patterns the filter covers. */
        private List<String> urlPatterns = new ArrayList<>(List.of("/api/*"));

        /** @return whether the filter is on */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the filter is on */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the URL patterns */
        public List<String> getUrlPatterns() {
            return urlPatterns;
        }

        /** @param urlPatterns the URL patterns */
        public void setUrlPatterns(List<String> urlPatterns) {
            this.urlPatterns = urlPatterns;
        }
    }

    /** {@code tollgate.health.*}. */
    public static class Health {

        /** Whether to expose Tollgate's checks as the Actuator health contributor "tollgate". */
        private boolean enabled = true;
        /**
         * Whether to put "tollgate" into the readiness group (and turn the probes on) unless
         * management.endpoint.health.group.readiness.include is set.
         */
        private boolean readiness = true;
        /**
         * SQL verifier functions to run (schema.function). Unset: those of the Tollgate modules on the
         * class path.
         */
        private @Nullable List<String> verifiers;
        /** How long a verifier result is reused. */
        private Duration verifierCacheFor = Duration.ofMinutes(1);
        /** How long one check may take before it counts as DOWN. */
        private Duration timeout = Duration.ofSeconds(2);
        /**
         * Whether to report the webhook backlog (stuck leases, open dead letters, oldest waiting event) as a
         * non-critical detail: it feeds alerts, never takes a replica out of readiness.
         */
        private boolean webhookBacklog = true;

        /** @return whether the backlog is reported */
        public boolean isWebhookBacklog() {
            return webhookBacklog;
        }

        /** @param webhookBacklog whether the backlog is reported */
        public void setWebhookBacklog(boolean webhookBacklog) {
            this.webhookBacklog = webhookBacklog;
        }

        /** @return whether the contributor exists */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the contributor exists */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return whether readiness includes Tollgate */
        public boolean isReadiness() {
            return readiness;
        }

        /** @param readiness whether readiness includes Tollgate */
        public void setReadiness(boolean readiness) {
            this.readiness = readiness;
        }

        /** @return the verifier functions, or null for the defaults */
        public @Nullable List<String> getVerifiers() {
            return verifiers;
        }

        /** @param verifiers the verifier functions */
        public void setVerifiers(@Nullable List<String> verifiers) {
            this.verifiers = verifiers;
        }

        /** @return how long verifier results are reused */
        public Duration getVerifierCacheFor() {
            return verifierCacheFor;
        }

        /** @param verifierCacheFor how long verifier results are reused */
        public void setVerifierCacheFor(Duration verifierCacheFor) {
            this.verifierCacheFor = verifierCacheFor;
        }

        /** @return the per-check timeout */
        public Duration getTimeout() {
            return timeout;
        }

        /** @param timeout the per-check timeout */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** {@code tollgate.validation.*}. */
    public static class Validation {

        /** Whether to validate the configuration at start-up (every problem in one exception). */
        private boolean enabled = true;
        /**
         * Settings the production check may miss (for example STRIPE_API_KEY when the service never calls
         * Stripe's API, SENTRY_DSN without Sentry).
         */
        private List<ConfigSetting> optional = new ArrayList<>();

        /** @return whether validation runs */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether validation runs */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the optional settings */
        public List<ConfigSetting> getOptional() {
            return optional;
        }

        /** @param optional the optional settings */
        public void setOptional(List<ConfigSetting> optional) {
            this.optional = optional;
        }
    }

    /** {@code tollgate.sentry.*}. */
    public static class Sentry {

        /** Whether to register Tollgate's PII scrubber as Sentry before-send and before-breadcrumb callbacks. */
        private boolean enabled = true;

        /** @return whether the scrubber is registered */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the scrubber is registered */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** {@code tollgate.metrics.*}. */
    public static class Metrics {

        /** Whether to record Tollgate's meters on the application's Micrometer registry. */
        private boolean enabled = true;

        /** @return whether meters are recorded */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether meters are recorded */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
