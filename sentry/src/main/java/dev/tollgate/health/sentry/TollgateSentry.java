package dev.tollgate.health.sentry;

import io.sentry.IScope;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Wires Tollgate's Sentry conventions into {@code SentryOptions}: the {@link SentryScrubber} (run after
 * any {@code beforeSend} already set), no default PII, and the tags {@code environment} and
 * {@code release}; {@link #tagRequest} adds {@code tenant_id} and {@code request_id} per request.
 *
 * <pre>{@code
 * Sentry.init(options -> {
 *     options.setDsn(dsn);
 *     TollgateSentry.configure(options, "production", "billing-api@1.4.2");
 * });
 * Sentry.configureScope(scope -> TollgateSentry.tagRequest(scope, tenantId, requestId));
 * }</pre>
 */
public final class TollgateSentry {

    /** Tag: the tenant whose request failed (an opaque id, never an e-mail). */
    public static final String TAG_TENANT_ID = "tenant_id";
    /** Tag: the request id, to find the log lines. */
    public static final String TAG_REQUEST_ID = "request_id";
    /** Tag: the environment ({@code production}, {@code staging}). */
    public static final String TAG_ENVIRONMENT = "environment";
    /** Tag: the release ({@code billing-api@1.4.2}). */
    public static final String TAG_RELEASE = "release";

    private static final Pattern TAG_VALUE = Pattern.compile("[^\\n\\r]{1,200}");

    private TollgateSentry() {
    }

    /**
     * Installs the scrubber, turns default PII off and sets environment and release (also as tags).
     *
     * @param options the options being built
     * @param environment {@code production}, {@code staging}, …
     * @param release the release name
     * @return the same options
     * @throws IllegalArgumentException naming every invalid argument
     */
    public static SentryOptions configure(SentryOptions options, String environment, String release) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(release, "release");
        List<String> problems = new ArrayList<>();
        if (!TAG_VALUE.matcher(environment).matches()) {
            problems.add("environment must be 1-200 characters on one line");
        }
        if (!TAG_VALUE.matcher(release).matches()) {
            problems.add("release must be 1-200 characters on one line");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid Sentry configuration: " + String.join("; ", problems));
        }
        SentryScrubber scrubber = new SentryScrubber();
        SentryOptions.BeforeSendCallback previous = options.getBeforeSend();
        options.setBeforeSend((event, hint) -> {
            SentryEvent e = previous == null ? event : previous.execute(event, hint);
            return e == null ? null : scrubber.execute(e, hint);
        });
        SentryOptions.BeforeSendTransactionCallback previousTransaction = options.getBeforeSendTransaction();
        options.setBeforeSendTransaction((transaction, hint) -> {
            var t = previousTransaction == null ? transaction : previousTransaction.execute(transaction, hint);
            return t == null ? null : scrubber.execute(t, hint);
        });
        SentryOptions.BeforeBreadcrumbCallback previousCrumb = options.getBeforeBreadcrumb();
        options.setBeforeBreadcrumb((crumb, hint) -> {
            var c = previousCrumb == null ? crumb : previousCrumb.execute(crumb, hint);
            return c == null ? null : scrubber.execute(c, hint);
        });
        options.setSendDefaultPii(false);
        options.setEnvironment(environment);
        options.setRelease(release);
        options.setTag(TAG_ENVIRONMENT, environment);
        options.setTag(TAG_RELEASE, release);
        return options;
    }

    /**
     * Tags the current scope with the request's tenant and request ids.
     *
     * @param scope the scope of the request
     * @param tenantId the tenant id (opaque text)
     * @param requestId the request id
     */
    public static void tagRequest(IScope scope, String tenantId, String requestId) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(requestId, "requestId");
        scope.setTag(TAG_TENANT_ID, tenantId);
        scope.setTag(TAG_REQUEST_ID, requestId);
    }
}
