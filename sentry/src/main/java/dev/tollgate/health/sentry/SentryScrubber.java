package dev.tollgate.health.sentry;

import dev.tollgate.internal.SensitiveText;
import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.SentryBaseEvent;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.sentry.SpanContext;
import io.sentry.protocol.Contexts;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.Response;
import io.sentry.protocol.SentryException;
import io.sentry.protocol.SentrySpan;
import io.sentry.protocol.SentryTransaction;
import io.sentry.protocol.User;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A Sentry {@code beforeSend}, {@code beforeSendTransaction} and {@code beforeBreadcrumb} callback that removes
 * personal data and secrets from everything an event or a performance transaction carries (for transactions
 * also every span's description, tags and data): the message and its parameters, exception values, extras,
 * contexts, breadcrumbs (message and data), request data (URL, query string, headers, cookies, body,
 * environment), response headers and cookies, user e-mail and IP address, and tag values.
 *
 * <p>Removed: e-mail addresses, API keys and webhook secrets ({@code sk_live_…}, {@code whsec_…}; shown
 * masked), bearer tokens and JWTs, passwords in URLs, values of fields whose name says secret
 * ({@code password}, {@code token}, {@code api_key}, {@code Authorization}, {@code Stripe-Signature},
 * {@code Cookie}, …), secret query parameters, and card-like numbers that pass the Luhn check. Nested
 * maps, lists and arrays are walked; numbers are checked as card numbers; other objects are replaced by
 * their scrubbed text. Thread-safe and stateless.
 */
public final class SentryScrubber implements SentryOptions.BeforeSendCallback, SentryOptions.BeforeBreadcrumbCallback,
        SentryOptions.BeforeSendTransactionCallback {

    private static final int MAX_DEPTH = 16;

    /** Creates a scrubber. */
    public SentryScrubber() {
    }

    /** Scrubs an event in place and returns it. */
    @Override
    public SentryEvent execute(SentryEvent event, Hint hint) {
        Message message = event.getMessage();
        if (message != null) {
            message.setMessage(text(message.getMessage()));
            message.setFormatted(text(message.getFormatted()));
            List<String> params = message.getParams();
            if (params != null) {
                message.setParams(params.stream().map(p -> p == null ? null : SensitiveText.scrub(p)).toList());
            }
        }
        List<SentryException> exceptions = event.getExceptions();
        if (exceptions != null) {
            exceptions.forEach(e -> e.setValue(text(e.getValue())));
        }
        scrubBase(event);
        return event;
    }

    /**
     * Scrubs a performance transaction (sent when tracing is on): what it shares with events (request, user,
     * tags, extras, contexts, breadcrumbs) and each span's description, tags and data. A transaction whose
     * name carries personal data is not sent at all: Sentry gives no way to rename it.
     */
    @Override
    public @Nullable SentryTransaction execute(SentryTransaction transaction, Hint hint) {
        String name = transaction.getTransaction();
        if (name != null && !name.equals(text(name))) {
            return null;
        }
        scrubBase(transaction);
        List<SentrySpan> spans = transaction.getSpans();
        for (int i = 0; i < spans.size(); i++) {
            SentrySpan span = spans.get(i);
            Map<String, String> tags = span.getTags();
            Map<String, Object> data = span.getData();
            SentrySpan clean = new SentrySpan(span.getStartTimestamp(), span.getTimestamp(), span.getTraceId(),
                    span.getSpanId(), span.getParentSpanId(), span.getOp(), text(span.getDescription()),
                    span.getStatus(), span.getOrigin(), tags == null ? new LinkedHashMap<>() : stringMap(tags),
                    span.getMeasurements(), data == null ? null : map(data, 0));
            clean.setUnknown(span.getUnknown());
            spans.set(i, clean);
        }
        return transaction;
    }

    /** What events and transactions share. */
    private void scrubBase(SentryBaseEvent event) {
        Map<String, Object> extras = event.getExtras();
        if (extras != null) {
            event.setExtras(map(extras, 0));
        }
        scrubContexts(event.getContexts());
        List<Breadcrumb> breadcrumbs = event.getBreadcrumbs();
        if (breadcrumbs != null) {
            breadcrumbs.forEach(this::scrubBreadcrumb);
        }
        Request request = event.getRequest();
        if (request != null) {
            scrubRequest(request);
        }
        User user = event.getUser();
        if (user != null) {
            user.setEmail(null);
            user.setIpAddress(null);
            user.setUsername(text(user.getUsername()));
            user.setName(null);
            Map<String, String> data = user.getData();
            if (data != null) {
                user.setData(stringMap(data));
            }
        }
        Map<String, String> tags = event.getTags();
        if (tags != null) {
            event.setTags(stringMap(tags));
        }
    }

    /** Scrubs a breadcrumb in place and returns it. */
    @Override
    public Breadcrumb execute(Breadcrumb breadcrumb, Hint hint) {
        scrubBreadcrumb(breadcrumb);
        return breadcrumb;
    }

    private void scrubBreadcrumb(Breadcrumb breadcrumb) {
        breadcrumb.setMessage(text(breadcrumb.getMessage()));
        Map<String, Object> data = breadcrumb.getData();
        Map<String, Object> clean = map(data, 0);
        for (String key : new ArrayList<>(data.keySet())) {
            breadcrumb.setData(key, clean.get(key));
        }
    }

    private void scrubRequest(Request request) {
        request.setUrl(url(request.getUrl()));
        request.setQueryString(query(request.getQueryString()));
        request.setFragment(text(request.getFragment()));
        if (request.getCookies() != null) {
            request.setCookies(SensitiveText.FILTERED);
        }
        Map<String, String> headers = request.getHeaders();
        if (headers != null) {
            request.setHeaders(stringMap(headers));
        }
        Map<String, String> envs = request.getEnvs();
        if (envs != null) {
            Map<String, String> clean = stringMap(envs);
            clean.computeIfPresent("REMOTE_ADDR", (k, v) -> SensitiveText.FILTERED);
            request.setEnvs(clean);
        }
        Map<String, String> others = request.getOthers();
        if (others != null) {
            request.setOthers(stringMap(others));
        }
        Object data = request.getData();
        if (data != null) {
            request.setData(value("data", data, 0));
        }
    }

    private void scrubContexts(Contexts contexts) {
        for (String key : new ArrayList<>(java.util.Collections.list(contexts.keys()))) {
            Object value = contexts.get(key);
            if (value instanceof Response response) {
                if (response.getCookies() != null) {
                    response.setCookies(SensitiveText.FILTERED);
                }
                if (response.getHeaders() != null) {
                    response.setHeaders(stringMap(response.getHeaders()));
                }
                if (response.getData() != null) {
                    response.setData(value("data", response.getData(), 0));
                }
            } else if (value instanceof Map<?, ?> || value instanceof Collection<?> || value instanceof String
                    || value instanceof Number || (value != null && value.getClass().isArray())) {
                contexts.put(key, value(key, value, 0));
            }
            // Sentry's other typed contexts (app, runtime, os, device) hold no user data.
        }
        SpanContext live = contexts.getTrace();
        if (live != null) {
            // on an error event this is the running span's own context: scrub a copy, never the span
            SpanContext trace = new SpanContext(live);
            contexts.setTrace(trace);
            // the trace context is the transaction's root span: its description, tags and data are the app's
            trace.setDescription(text(trace.getDescription()));
            Map<String, String> tags = trace.getTags();
            if (tags != null) {
                stringMap(tags).forEach((k, v) -> {
                    if (v != null) {
                        trace.setTag(k, v);
                    }
                });
            }
            Map<String, Object> data = trace.getData();
            if (data != null) {
                map(data, 0).forEach((k, v) -> {
                    if (v != null) {
                        trace.setData(k, v);
                    }
                });
            }
        }
    }

    private static @Nullable String url(@Nullable String url) {
        if (url == null) {
            return null;
        }
        int q = url.indexOf('?');
        return q < 0 ? SensitiveText.scrub(url) : SensitiveText.scrub(url.substring(0, q)) + "?" + query(url.substring(q + 1));
    }

    private static @Nullable String query(@Nullable String query) {
        if (query == null || query.isEmpty()) {
            return query;
        }
        StringBuilder out = new StringBuilder();
        for (String pair : query.split("&", -1)) {
            if (out.length() > 0) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String decoded = java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
            if (eq < 0) {
                out.append(SensitiveText.scrub(pair));
            } else if (SensitiveText.isSensitiveName(decoded)) {
                out.append(name).append('=').append(SensitiveText.FILTERED);
            } else {
                String v = java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                String clean = SensitiveText.scrub(v);
                out.append(name).append('=').append(clean.equals(v) ? pair.substring(eq + 1) : clean);
            }
        }
        return out.toString();
    }

    private static @Nullable String text(@Nullable String s) {
        return s == null ? null : SensitiveText.scrub(s);
    }

    private static Map<String, String> stringMap(Map<String, String> map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, v == null ? null
                : SensitiveText.isSensitiveName(k) ? SensitiveText.FILTERED : SensitiveText.scrub(v)));
        return out;
    }

    private static Map<String, Object> map(Map<?, ?> map, int depth) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            String key = String.valueOf(k);
            out.put(key, value(key, v, depth + 1));
        });
        return out;
    }

    private static @Nullable Object value(String key, @Nullable Object value, int depth) {
        if (value == null) {
            return null;
        }
        if (SensitiveText.isSensitiveName(key) || depth > MAX_DEPTH) {
            return SensitiveText.FILTERED;
        }
        if (value instanceof String s) {
            return SensitiveText.scrub(s);
        }
        if (value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number n) {
            String digits = n.toString();
            return SensitiveText.luhn(digits) ? SensitiveText.FILTERED : n;
        }
        if (value instanceof Map<?, ?> m) {
            return map(m, depth);
        }
        if (value instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(v -> out.add(value("", v, depth + 1)));
            return out;
        }
        if (value.getClass().isArray()) {
            int length = Array.getLength(value);
            List<Object> out = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                out.add(value("", Array.get(value, i), depth + 1));
            }
            return out;
        }
        if (value instanceof CharSequence || value instanceof Enum<?>) {
            return SensitiveText.scrub(value.toString());
        }
        // Any other object: Sentry would serialize its fields by reflection; send its scrubbed text instead.
        return SensitiveText.scrub(String.valueOf(value));
    }
}
