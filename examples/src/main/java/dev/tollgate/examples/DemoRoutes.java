package dev.tollgate.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.BillingException;
import dev.tollgate.consent.ConsentDecision;
import dev.tollgate.consent.ConsentException;
import dev.tollgate.consent.ConsentPolicy;
import dev.tollgate.consent.ConsentRecord;
import dev.tollgate.consent.ConsentService;
import dev.tollgate.consent.PolicyVersion;
import dev.tollgate.consent.Purpose;
import dev.tollgate.examples.DemoHttpHandler.ApiRequest;
import dev.tollgate.health.HealthEndpoints;
import dev.tollgate.health.HealthResponse;
import dev.tollgate.legal.Acceptance;
import dev.tollgate.legal.AcceptanceRequest;
import dev.tollgate.legal.DocumentKind;
import dev.tollgate.legal.LegalDocument;
import dev.tollgate.legal.LegalException;
import dev.tollgate.legal.LegalPageRenderer;
import dev.tollgate.legal.LegalService;
import dev.tollgate.legal.PendingAcceptance;
import dev.tollgate.webhooks.WebhookRequest;
import dev.tollgate.webhooks.WebhookResult;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The demo's routes, each a thin translation between HTTP and one Tollgate module.
 */
final class DemoRoutes {

    /** The solver API, gated by {@link dev.tollgate.examples.adapters.BillingGateHttpFilter}. */
    static final String SOLVER_PREFIX = "/api/v1/solver/";

    /** Hands a webhook delivery to the synchronous or the asynchronous pipeline. */
    @FunctionalInterface
    interface WebhookIntake {
        WebhookResult handle(String provider, WebhookRequest request);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ID_LENGTH = 256;

    private final WebhookIntake webhooks;
    private final BillingGate gate;
    private final LegalService legal;
    private final ConsentService consent;
    private final LegalPageRenderer renderer;
    private final HealthEndpoints health;
    private final PrometheusMeterRegistry metrics;
    private final Clock clock;
    private final DemoJobs jobs = new DemoJobs();

    DemoRoutes(WebhookIntake webhooks, BillingGate gate, LegalService legal, ConsentService consent,
               LegalPageRenderer renderer, HealthEndpoints health, PrometheusMeterRegistry metrics, Clock clock) {
        this.webhooks = webhooks;
        this.gate = gate;
        this.legal = legal;
        this.consent = consent;
        this.renderer = renderer;
        this.health = health;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The system property that enables {@code POST /api/admin/consent/policy/next-major} (tests only). */
    static final String CONSENT_ADMIN_PROPERTY = "tollgate.demo.consentAdmin";

    DemoHttpHandler handler() {
        DemoHttpHandler.Builder builder = BannerPage.fromSystemProperties().routes(DemoHttpHandler.builder());
        if (Boolean.getBoolean(CONSENT_ADMIN_PROPERTY)) {
            builder.post("/api/admin/consent/policy/next-major", 0, r -> publishNextMajorPolicy());
        }
        return builder
                .post("/api/billing/webhook", DemoService.MAX_WEBHOOK_BYTES, r -> webhook("stripe", r))
                .post("/webhooks/stripe", DemoService.MAX_WEBHOOK_BYTES, r -> webhook("stripe", r))
                .post("/webhooks/revenuecat", DemoService.MAX_WEBHOOK_BYTES, r -> webhook("revenuecat", r))
                .post(SOLVER_PREFIX + "solve", DemoService.MAX_API_BYTES, this::solve)
                .get(SOLVER_PREFIX + "jobs", this::jobs)
                .get("/api/entitlements/snapshot", this::entitlements)
                .get("/health", r -> health(health.health()))
                .get("/health/ready", r -> health(health.ready()))
                .get("/health/live", r -> health(health.live()))
                .get("/legal/terms", r -> legalPage(DocumentKind.TERMS))
                .get("/legal/privacy", r -> legalPage(DocumentKind.PRIVACY))
                .get("/legal/imprint", r -> legalPage(DocumentKind.IMPRINT))
                .post("/api/legal/accept", DemoService.MAX_API_BYTES, this::acceptLegal)
                .get("/api/legal/status", this::legalStatus)
                .post("/api/consent", DemoService.MAX_API_BYTES, this::recordConsent)
                .get("/api/consent", this::currentConsent)
                .get("/api/consent/policy", r -> consentPolicy())
                .get("/metrics", r -> ApiResponse.text(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.scrape()))
                .build();
    }

    // --- webhooks -------------------------------------------------------------------------------------------

    private ApiResponse webhook(String provider, ApiRequest request) {
        WebhookResult result = webhooks.handle(provider, WebhookRequest.ofMultiValued(request.headers(), request.body()));
        return ApiResponse.json(result.httpStatus(), result.toJson());
    }

    // --- the gated solver API (the gate runs in the HttpServer filter before these) --------------------------

    private ApiResponse solve(ApiRequest request) {
        String tenant = tenant(request);
        JsonNode body = request.body().length == 0 ? JSON.createObjectNode() : object(request);
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("job_id", "job_" + UUID.randomUUID());
        job.put("status", "queued");
        job.put("created_at", clock.instant().toString());
        job.put("input_bytes", request.body().length);
        job.put("problem", body.path("problem").isTextual() ? truncate(body.path("problem").asText()) : null);
        jobs.add(tenant, job);
        return ApiResponse.json(202, job);
    }

    private ApiResponse jobs(ApiRequest request) {
        String tenant = tenant(request);
        return ApiResponse.json(200, Map.of("jobs", jobs.of(tenant)));
    }

    private static String tenant(ApiRequest request) {
        String tenant = request.header("X-Tenant-Id");
        if (tenant == null || tenant.isBlank()) {
            throw new ApiException(400, "tenant_required", "Send the tenant id in the X-Tenant-Id header.");
        }
        return checkedId(tenant.strip(), "X-Tenant-Id");
    }

    private ApiResponse entitlements(ApiRequest request) {
        String user = checkedId(request.requiredQuery("user_id"), "user_id");
        try {
            return ApiResponse.json(200, gate.entitlements(user).toJson());
        } catch (BillingException e) {
            throw new ApiException(503, "billing_unavailable", "The billing state cannot be read right now.");
        }
    }

    // --- health and legal pages ----------------------------------------------------------------------------

    private static ApiResponse health(HealthResponse response) {
        return new ApiResponse(response.statusCode(), response.contentType(), response.body(), Map.of());
    }

    private ApiResponse legalPage(DocumentKind kind) {
        LegalDocument document = legal.currentDocument(kind).orElseThrow(() ->
                new ApiException(404, "document_not_found", "No " + kind.name() + " document is published."));
        return ApiResponse.text(200, "text/html; charset=utf-8", renderer.render(document, legal.currentDocuments()));
    }

    // --- legal acceptance ----------------------------------------------------------------------------------

    private ApiResponse acceptLegal(ApiRequest request) {
        JsonNode body = object(request);
        String user = checkedId(requiredText(body, "user_id"), "user_id");
        JsonNode documents = body.get("documents");
        if (documents == null || !documents.isArray() || documents.isEmpty()) {
            throw new ApiException(400, "invalid_documents",
                    "'documents' must be a non-empty array of document kinds, such as [\"terms\",\"privacy\"].");
        }
        if (documents.size() > AcceptanceRequest.MAX_DOCUMENTS) {
            throw new ApiException(400, "invalid_documents", "At most " + AcceptanceRequest.MAX_DOCUMENTS
                    + " documents can be accepted at once.");
        }
        Set<String> kinds = new LinkedHashSet<>();
        for (JsonNode kind : documents) {
            if (!kind.isTextual()) {
                throw new ApiException(400, "invalid_documents", "Every entry of 'documents' must be a string.");
            }
            kinds.add(kind.asText().strip().toLowerCase(Locale.ROOT));
        }
        AcceptanceRequest.Builder accept = AcceptanceRequest.builder().userId(user).source("api");
        for (String kind : kinds) {
            DocumentKind documentKind;
            try {
                documentKind = DocumentKind.of(kind);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "unknown_document", "'" + truncate(kind) + "' is not a document kind.");
            }
            LegalDocument current = legal.currentDocument(documentKind).orElseThrow(() -> new ApiException(400,
                    "unknown_document", "No '" + truncate(kind) + "' document is published."));
            accept.document(current);
        }
        List<Acceptance> accepted;
        try {
            accepted = legal.accept(accept.build());
        } catch (LegalException e) {
            throw legalError(e);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("user_id", user);
        answer.put("accepted", accepted.stream().map(DemoRoutes::acceptanceJson).toList());
        return ApiResponse.json(201, answer);
    }

    private ApiResponse legalStatus(ApiRequest request) {
        String user = checkedId(request.requiredQuery("user_id"), "user_id");
        try {
            List<PendingAcceptance> pending = legal.pendingAcceptances(user);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("user_id", user);
            answer.put("up_to_date", pending.isEmpty());
            answer.put("pending", pending.stream().map(p -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("kind", p.document().kind().name());
                m.put("version", p.document().version());
                m.put("reason", p.reason().name().toLowerCase(Locale.ROOT));
                m.put("accepted_version", p.acceptedVersion());
                return m;
            }).toList());
            answer.put("accepted", legal.acceptances(user).stream().map(DemoRoutes::acceptanceJson).toList());
            return ApiResponse.json(200, answer);
        } catch (LegalException e) {
            throw legalError(e);
        }
    }

    private static Map<String, Object> acceptanceJson(Acceptance a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", a.kind().name());
        m.put("version", a.version());
        m.put("content_sha256", a.contentSha256());
        m.put("accepted_at", a.acceptedAt().toString());
        return m;
    }

    private static ApiException legalError(LegalException e) {
        return switch (e.reason()) {
            case INVALID_INPUT -> new ApiException(400, "invalid_input", e.getMessage());
            case UNKNOWN_DOCUMENT -> new ApiException(400, "unknown_document", e.getMessage());
            case DOCUMENT_CHANGED -> new ApiException(409, "document_changed", e.getMessage());
            case DUPLICATE_VERSION -> new ApiException(409, "duplicate_version", e.getMessage());
            case FINGERPRINT_KEY_MISSING -> new ApiException(500, "fingerprint_key_missing", e.getMessage());
            case STORAGE_FAILURE -> new ApiException(503, "storage_unavailable", "The database cannot be reached.");
        };
    }

    // --- consent -------------------------------------------------------------------------------------------

    private ApiResponse recordConsent(ApiRequest request) {
        JsonNode body = object(request);
        String subject = checkedId(requiredText(body, "subject_id"), "subject_id");
        String choice = requiredText(body, "choice");
        // The record names the policy the subject was shown: the banner sends it; an API client without it
        // decides under the current one. A version shown before a major change is still recorded as shown,
        // and the answer says needs_reconsent so that the page asks again under the current policy.
        PolicyVersion shown = shownPolicyVersion(body.get("policy_version"));
        PolicyVersion current = currentPolicy().version(); // read before the record: a failure saves nothing
        ConsentDecision.Builder decision = ConsentDecision.builder().subjectId(subject)
                .policyVersion(shown != null ? shown : current).source("api");
        switch (choice) {
            case "only_necessary" -> decision.onlyNecessary();
            case "accept_all" -> decision.acceptAll();
            case "custom" -> decision.custom(purposes(body.get("purposes")));
            default -> throw new ApiException(400, "invalid_choice",
                    "'choice' must be only_necessary, accept_all or custom.");
        }
        ConsentRecord record;
        try {
            record = consent.record(decision.build());
        } catch (ConsentException e) {
            throw consentError(e);
        }
        Map<String, Object> answer = consentJson(record);
        answer.put("needs_reconsent", current.major() > record.policyVersion().major());
        return ApiResponse.json(201, answer);
    }

    private static @Nullable PolicyVersion shownPolicyVersion(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            if (node.isTextual()) {
                return PolicyVersion.parse(node.textValue());
            }
        } catch (ConsentException | NumberFormatException e) {
            // answered below, without echoing the value
        }
        throw new ApiException(400, "invalid_policy_version",
                "'policy_version' must be the version the subject was shown, such as \"2.1\".");
    }

    private ApiResponse currentConsent(ApiRequest request) {
        String subject = checkedId(request.requiredQuery("subject_id"), "subject_id");
        try {
            ConsentRecord record = consent.currentConsent(subject).orElseThrow(() ->
                    new ApiException(404, "consent_not_found", "This subject has not made a consent choice."));
            Map<String, Object> answer = consentJson(record);
            answer.put("needs_reconsent", consent.needsReconsent(subject));
            return ApiResponse.json(200, answer);
        } catch (ConsentException e) {
            throw consentError(e);
        }
    }

    private ApiResponse consentPolicy() {
        ConsentPolicy policy = currentPolicy();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("version", policy.version().toString());
        answer.put("effective_at", policy.effectiveAt().toString());
        answer.put("text_sha256", policy.textSha256());
        List<Map<String, Object>> purposes = new ArrayList<>();
        for (Purpose p : policy.purposes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("necessary", p.necessary());
            m.put("description", p.description());
            purposes.add(m);
        }
        answer.put("purposes", purposes);
        return ApiResponse.json(200, answer);
    }

    /**
     * Publishes the current policy's purposes again as the next major version, in effect now, so that
     * every subject must consent again. Routed only when {@value #CONSENT_ADMIN_PROPERTY} is {@code true}.
     */
    private ApiResponse publishNextMajorPolicy() {
        ConsentPolicy current = currentPolicy();
        ConsentPolicy.Builder next = ConsentPolicy.builder()
                .version((current.version().major() + 1) + ".0")
                .effectiveAt(clock.instant())
                .shownText(DemoSeed.BANNER_TEXT);
        current.purposes().forEach(next::purpose);
        try {
            consent.publishPolicy(next.build());
        } catch (ConsentException e) {
            throw consentError(e);
        }
        return consentPolicy();
    }

    private ConsentPolicy currentPolicy() {
        try {
            return consent.currentPolicy().orElseThrow(() ->
                    new ApiException(503, "no_policy", "No consent policy is in effect."));
        } catch (ConsentException e) {
            throw consentError(e);
        }
    }

    private static Map<String, Object> consentJson(ConsentRecord record) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("version", record.policyVersion().toString());
        answer.put("timestamp", record.recordedAt().toString());
        answer.put("choice", record.choice().code());
        answer.put("purposes", new LinkedHashMap<>(record.purposes()));
        return answer;
    }

    private static Map<String, Boolean> purposes(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new ApiException(400, "invalid_purposes",
                    "A custom choice needs 'purposes', an object such as {\"analytics\":true,\"marketing\":false}.");
        }
        Map<String, Boolean> purposes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isBoolean()) {
                throw new ApiException(400, "invalid_purposes", "Every purpose must be true or false.");
            }
            purposes.put(e.getKey(), e.getValue().booleanValue());
        }
        return purposes;
    }

    private static ApiException consentError(ConsentException e) {
        return switch (e.reason()) {
            case INVALID_INPUT -> new ApiException(400, "invalid_input", e.getMessage());
            case UNKNOWN_PURPOSE -> new ApiException(400, "unknown_purpose", e.getMessage());
            // fixed texts: the library's messages name versions and dates, and a scheduled policy is not public yet
            case UNKNOWN_POLICY_VERSION -> new ApiException(400, "unknown_policy_version",
                    "No consent policy with that version has been published.");
            case POLICY_NOT_IN_EFFECT -> new ApiException(409, "policy_not_in_effect",
                    "That consent policy is not in effect yet.");
            case DUPLICATE_VERSION -> new ApiException(409, "duplicate_version", e.getMessage());
            case FINGERPRINT_KEY_MISSING -> new ApiException(500, "fingerprint_key_missing", e.getMessage());
            case STORAGE_FAILURE -> new ApiException(503, "storage_unavailable", "The database cannot be reached.");
        };
    }

    // --- input ---------------------------------------------------------------------------------------------

    private static JsonNode object(ApiRequest request) {
        JsonNode node;
        try {
            node = JSON.readTree(request.body());
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "malformed_json", "The body is not valid JSON.");
        } catch (java.io.IOException e) {
            throw new ApiException(400, "malformed_json", "The body could not be read as JSON.");
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(400, "malformed_json", "The body must be a JSON object.");
        }
        return node;
    }

    private static String requiredText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new ApiException(400, "missing_field", "'" + field + "' is required (a non-empty string).");
        }
        return value.asText();
    }

    private static String checkedId(String id, String what) {
        if (id.length() > MAX_ID_LENGTH || id.indexOf('\0') >= 0) {
            throw new ApiException(400, "invalid_id", what + " must be at most " + MAX_ID_LENGTH
                    + " characters, without NUL.");
        }
        return id;
    }

    private static String truncate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
