package dev.tollgate.health;

import dev.tollgate.health.internal.JsonText;
import dev.tollgate.internal.SensitiveText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The HTTP-neutral health handler: turns a {@link HealthRegistry} into the responses that go-live
 * runbooks and orchestrators expect. Any HTTP layer calls {@link #handle(String)} and writes the
 * returned status, content type and bytes.
 *
 * <ul>
 *   <li>{@code /health} → 200 {@code {"status":"healthy","version":"1.4.2","database":"connected"}},
 *       503 with {@code "unhealthy"} when a critical contributor is DOWN or OUT_OF_SERVICE.
 *       {@code "database"} is present when a contributor named {@code database} is registered.</li>
 *   <li>{@code /health/ready} → 200 {@code {"ready":true}} or 503
 *       {@code {"ready":false,"failing":["database"]}}.</li>
 *   <li>{@code /health/live} → 200 {@code {"live":true}}; never runs a contributor.</li>
 * </ul>
 *
 * <pre>{@code
 * HealthEndpoints endpoints = HealthEndpoints.builder(registry).version("1.4.2").build();
 * HealthResponse response = endpoints.handle(request.path());
 * }</pre>
 *
 * <p>With {@link Builder#detailed(boolean) detailed(true)}, {@code /health} answers
 * {@code application/health+json} with every contributor's status and details (scrubbed of anything
 * that looks like a secret or an e-mail address). Keep it off on public endpoints.
 */
public final class HealthEndpoints {

    /** The content type of the compact responses. */
    public static final String JSON = "application/json";
    /** The content type of the detailed view. */
    public static final String HEALTH_JSON = "application/health+json";
    /** The contributor name whose status becomes the {@code "database"} field of {@code /health}. */
    public static final String DATABASE = "database";

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    private final HealthRegistry registry;
    private final String version;
    private final boolean detailed;

    private HealthEndpoints(HealthRegistry registry, String version, boolean detailed) {
        this.registry = registry;
        this.version = version;
        this.detailed = detailed;
    }

    /**
     * Starts building the endpoints for a registry.
     *
     * @param registry the contributors the probes check
     * @return a builder
     */
    public static Builder builder(HealthRegistry registry) {
        return new Builder(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * Answers a request path: {@code /health}, {@code /health/ready}, {@code /health/live} (a trailing
     * slash and a query string are ignored); anything else is 404.
     *
     * @param path the request path
     * @return the response to write
     */
    public HealthResponse handle(String path) {
        Objects.requireNonNull(path, "path");
        int query = path.indexOf('?');
        String p = query >= 0 ? path.substring(0, query) : path;
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return switch (p) {
            case "/health" -> health();
            case "/health/ready" -> ready();
            case "/health/live" -> live();
            default -> respond(404, JSON, Map.of("error", "not_found"));
        };
    }

    /**
     * {@code /health}: overall status, version and database connectivity; the detailed view when enabled.
     *
     * @return 200 when healthy, 503 otherwise
     */
    public HealthResponse health() {
        HealthReport report = registry.check();
        boolean healthy = report.ready();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "healthy" : "unhealthy");
        body.put("version", version);
        Optional<ContributorHealth> database = report.contributor(DATABASE);
        database.ifPresent(d -> body.put("database", d.status() == Status.UP ? "connected" : "disconnected"));
        if (!detailed) {
            return respond(healthy ? 200 : 503, JSON, body);
        }
        body.put("checkedAt", report.checkedAt().toString());
        Map<String, Object> checks = new LinkedHashMap<>();
        for (ContributorHealth c : report.contributors()) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("status", c.status().name());
            check.put("critical", c.critical());
            check.put("durationMs", c.duration().toMillis());
            check.put("checkedAt", c.checkedAt().toString());
            Map<String, Object> details = new LinkedHashMap<>();
            c.health().details().forEach((k, v) -> details.put(k, safe(k, v)));
            if (!details.isEmpty()) {
                check.put("details", details);
            }
            checks.put(c.name(), check);
        }
        body.put("checks", checks);
        return respond(healthy ? 200 : 503, HEALTH_JSON, body);
    }

    /**
     * {@code /health/ready}: whether every critical contributor is available.
     *
     * @return 200 {@code {"ready":true}} or 503 {@code {"ready":false,"failing":[…]}}
     */
    public HealthResponse ready() {
        HealthReport report = registry.check();
        if (report.ready()) {
            return respond(200, JSON, Map.of("ready", true));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", false);
        body.put("failing", new ArrayList<>(report.failing()));
        return respond(503, JSON, body);
    }

    /**
     * {@code /health/live}: the process answers. Checks no dependency, so a database outage never gets
     * a healthy process restarted.
     *
     * @return 200 {@code {"live":true}}
     */
    public HealthResponse live() {
        return respond(200, JSON, Map.of("live", true));
    }

    private static Object safe(String key, Object value) {
        if (value instanceof String s) {
            return SensitiveText.isSensitiveName(key) ? SensitiveText.FILTERED : SensitiveText.scrub(s);
        }
        return value;
    }

    private static HealthResponse respond(int status, String contentType, Map<String, Object> body) {
        return new HealthResponse(status, contentType, JsonText.write(body).getBytes(StandardCharsets.UTF_8));
    }

    /** Configures {@link HealthEndpoints}. */
    public static final class Builder {

        private final HealthRegistry registry;
        private String version = "unknown";
        private boolean detailed;

        private Builder(HealthRegistry registry) {
            this.registry = registry;
        }

        /**
         * The application version shown by {@code /health}; default {@code unknown}.
         *
         * @param version letters, digits, {@code . _ + -}, at most 64 characters
         * @return this builder
         */
        public Builder version(String version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * Whether {@code /health} shows every contributor's details; default off.
         *
         * @param detailed {@code true} to show details
         * @return this builder
         */
        public Builder detailed(boolean detailed) {
            this.detailed = detailed;
            return this;
        }

        /**
         * Builds the endpoints.
         *
         * @return the endpoints
         * @throws IllegalArgumentException listing every invalid setting
         */
        public HealthEndpoints build() {
            List<String> problems = new ArrayList<>();
            if (!VERSION.matcher(version).matches()) {
                problems.add("version must be 1-64 letters, digits, '.', '_', '+' or '-', but was '"
                        + SensitiveText.scrub(version) + "'");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid health endpoints: " + String.join("; ", problems));
            }
            return new HealthEndpoints(registry, version, detailed);
        }
    }
}
