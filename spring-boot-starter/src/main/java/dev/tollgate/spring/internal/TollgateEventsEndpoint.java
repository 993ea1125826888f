package dev.tollgate.spring.internal;

import dev.tollgate.webhooks.EventDetails;
import dev.tollgate.webhooks.EventFilter;
import dev.tollgate.webhooks.EventRecord;
import dev.tollgate.webhooks.EventState;
import dev.tollgate.webhooks.IdempotencyStoreException;
import dev.tollgate.webhooks.WebhookEvents;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The Actuator endpoint {@code tollgate-events}: the operator commands of {@link WebhookEvents} over HTTP. Off
 * unless the application grants it access ({@code management.endpoint.tollgate-events.access=read-only} for the
 * reads, {@code unrestricted} for re-drive too) and exposes it ({@code management.endpoints.web.exposure.include}).
 *
 * <ul>
 *   <li>{@code GET /actuator/tollgate-events?state=dead&provider=stripe&type=…&olderThan=1h&newerThan=3d&limit=100}:
 *       events newest first, metadata only;</li>
 *   <li>{@code GET /actuator/tollgate-events/{provider}/{id}}: one event with its dead letters and replays, never its
 *       payload (it may hold personal data; read it where the database credentials are, with the demo's
 *       {@code events show --payload} or {@link WebhookEvents#show(String, String, boolean)});</li>
 *   <li>{@code POST /actuator/tollgate-events/{provider}/{id}}: re-drives one dead letter;</li>
 *   <li>{@code POST /actuator/tollgate-events} with {@code {"all":true, "provider":…, "type":…, "olderThan":…,
 *       "newerThan":…, "limit":…}}: re-drives the dead letters matching the filter, at most {@code limit}
 *       (default {@value EventFilter#DEFAULT_LIMIT}, at most {@value EventFilter#MAX_LIMIT}).</li>
 * </ul>
 *
 * <p>Bad arguments answer 400 with {@code {"error":"bad_request","message":…}}; an unknown event 404; a re-drive
 * of an event that is not dead 409; a database that cannot be reached 503. Not API: created by the
 * auto-configuration only.
 */
@Endpoint(id = TollgateEventsEndpoint.ID, defaultAccess = Access.NONE)
public final class TollgateEventsEndpoint {

    /** The endpoint id. */
    public static final String ID = "tollgate-events";

    private static final int STATUS_CONFLICT = 409;
    private static final Logger LOG = LoggerFactory.getLogger(TollgateEventsEndpoint.class);
    private static final Pattern AGE = Pattern.compile("[0-9]{1,9}[smhd]");

    private final WebhookEvents events;

    /**
     * An endpoint over operator commands.
     *
     * @param events the operator commands on the application's database
     */
    public TollgateEventsEndpoint(WebhookEvents events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * Lists events, newest received first, without payloads.
     *
     * @param state states to match, comma-separated ({@code dead,failed}); all when absent
     * @param provider the provider to match
     * @param type the event type to match
     * @param olderThan received at least this long ago ({@code 90s}, {@code 15m}, {@code 2h}, {@code 3d} or ISO-8601)
     * @param newerThan received at most this long ago
     * @param limit the most events answered, 1 to {@value EventFilter#MAX_LIMIT}
     * @return 200 with {@code {"count":…,"limit":…,"events":[…]}}, or 400
     */
    @ReadOperation
    public WebEndpointResponse<Map<String, Object>> list(@Nullable String state, @Nullable String provider,
                                                         @Nullable String type, @Nullable String olderThan,
                                                         @Nullable String newerThan, @Nullable Integer limit) {
        EventFilter filter;
        try {
            filter = filter(state, provider, type, olderThan, newerThan, limit);
        } catch (IllegalArgumentException e) {
            return badRequest(e);
        }
        return guarded(() -> {
            List<Map<String, Object>> items = new ArrayList<>();
            events.list(filter).forEach(r -> items.add(record(r)));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("count", items.size());
            body.put("limit", filter.limit());
            body.put("events", items);
            return new WebEndpointResponse<>(body);
        });
    }

    /**
     * Shows one event: metadata, attempts, last error, dead letters and replays; never the payload.
     *
     * @param provider the provider name
     * @param id the provider's event id
     * @return 200 with the event, 404 when there is none, or 400
     */
    @ReadOperation
    public WebEndpointResponse<Map<String, Object>> show(@Selector String provider, @Selector String id) {
        Optional<EventDetails> found;
        try {
            found = guardedRead(() -> events.show(provider, id, false));
        } catch (IllegalArgumentException e) {
            return badRequest(e);
        } catch (Unavailable e) {
            return e.response;
        }
        if (found.isEmpty()) {
            return error(WebEndpointResponse.STATUS_NOT_FOUND, "not_found", "no event " + provider + "/" + id);
        }
        EventDetails d = found.get();
        Map<String, Object> body = record(d.event());
        List<Map<String, Object>> dead = new ArrayList<>();
        for (EventDetails.DeadLetterEntry e : d.deadLetters()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("attempts", e.attempts());
            entry.put("lastError", e.lastError());
            entry.put("deadAt", text(e.deadAt()));
            entry.put("redrivenAt", text(e.redrivenAt()));
            dead.add(entry);
        }
        List<String> replays = new ArrayList<>();
        d.replays().forEach(t -> replays.add(t.toString()));
        body.put("deadLetters", dead);
        body.put("replays", replays);
        return new WebEndpointResponse<>(body);
    }

    /**
     * Re-drives one dead letter: back to pending, for the worker to run once.
     *
     * @param provider the provider name
     * @param id the provider's event id
     * @return 200 {@code {"redriven":1}}, 404 when there is no such event, 409 when it is not dead, or 400
     */
    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> redriveOne(@Selector String provider, @Selector String id) {
        try {
            if (guardedRead(() -> events.redrive(provider, id))) {
                return new WebEndpointResponse<>(Map.of("redriven", 1));
            }
            Optional<EventDetails> found = guardedRead(() -> events.show(provider, id, false));
            if (found.isEmpty()) {
                return error(WebEndpointResponse.STATUS_NOT_FOUND, "not_found", "no event " + provider + "/" + id);
            }
            return error(STATUS_CONFLICT, "not_dead", provider + "/" + id + " is "
                    + found.get().event().state().databaseValue() + ", not a dead letter: nothing re-driven");
        } catch (IllegalArgumentException e) {
            return badRequest(e);
        } catch (Unavailable e) {
            return e.response;
        }
    }

    /**
     * Re-drives every dead letter matching a filter, oldest first, at most {@code limit}.
     *
     * @param all must be {@code true}: a re-drive of many events is asked for explicitly
     * @param provider the provider to match
     * @param type the event type to match
     * @param olderThan received at least this long ago
     * @param newerThan received at most this long ago
     * @param limit the most events re-driven, 1 to {@value EventFilter#MAX_LIMIT}
     * @return 200 {@code {"redriven":n}}, or 400
     */
    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> redrive(@Nullable Boolean all, @Nullable String provider,
                                                            @Nullable String type, @Nullable String olderThan,
                                                            @Nullable String newerThan, @Nullable Integer limit) {
        EventFilter filter;
        try {
            if (!Boolean.TRUE.equals(all)) {
                throw new IllegalArgumentException("pass \"all\":true to re-drive every dead letter matching the"
                        + " filter (at most limit), or POST /actuator/" + ID + "/{provider}/{id} for one");
            }
            filter = filter(null, provider, type, olderThan, newerThan, limit);
        } catch (IllegalArgumentException e) {
            return badRequest(e);
        }
        return guarded(() -> new WebEndpointResponse<>(Map.of("redriven", events.redrive(filter))));
    }

    @Override
    public String toString() {
        return "TollgateEventsEndpoint[" + events + "]";
    }

    static EventFilter filter(@Nullable String state, @Nullable String provider, @Nullable String type,
                              @Nullable String olderThan, @Nullable String newerThan, @Nullable Integer limit) {
        EventFilter.Builder b = EventFilter.builder();
        List<String> problems = new ArrayList<>();
        if (state != null) {
            for (String s : state.split(",", -1)) {
                EventState parsed = stateOf(s.strip());
                if (parsed == null) {
                    problems.add("state must be pending, processing, processed, failed or dead, but was '"
                            + abbreviate(s.strip()) + "'");
                } else {
                    b.state(parsed);
                }
            }
        }
        if (provider != null) {
            b.provider(provider);
        }
        if (type != null) {
            b.eventType(type);
        }
        age("olderThan", olderThan, problems).ifPresent(b::olderThan);
        age("newerThan", newerThan, problems).ifPresent(b::newerThan);
        if (limit != null) {
            b.limit(limit);
        }
        EventFilter filter = null;
        try {
            filter = b.build();
        } catch (IllegalArgumentException e) {
            problems.add(String.valueOf(e.getMessage()));
        }
        if (filter == null || !problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return filter;
    }

    private static @Nullable EventState stateOf(String value) {
        for (EventState s : EventState.values()) {
            if (s.databaseValue().equals(value.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        return null;
    }

    private static Optional<Duration> age(String name, @Nullable String text, List<String> problems) {
        if (text == null) {
            return Optional.empty();
        }
        if (AGE.matcher(text).matches()) {
            long n = Long.parseLong(text.substring(0, text.length() - 1));
            return Optional.of(switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        try {
            return Optional.of(Duration.parse(text));
        } catch (DateTimeParseException e) {
            problems.add(name + " must be a number and a unit (90s, 15m, 2h, 3d) or ISO-8601 (PT1H), but was '"
                    + abbreviate(text) + "'");
            return Optional.empty();
        }
    }

    private static Map<String, Object> record(EventRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider", r.provider());
        m.put("id", r.eventId());
        m.put("type", r.eventType());
        m.put("state", r.state().databaseValue());
        m.put("attempts", r.attempts());
        m.put("receivedAt", r.receivedAt().toString());
        m.put("processedAt", text(r.processedAt()));
        m.put("lastError", r.lastError());
        return m;
    }

    private static @Nullable String text(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static WebEndpointResponse<Map<String, Object>> badRequest(IllegalArgumentException e) {
        return error(WebEndpointResponse.STATUS_BAD_REQUEST, "bad_request", String.valueOf(e.getMessage()));
    }

    private static WebEndpointResponse<Map<String, Object>> error(int status, String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        return new WebEndpointResponse<>(body, status);
    }

    private static WebEndpointResponse<Map<String, Object>> guarded(
            Supplier<WebEndpointResponse<Map<String, Object>>> action) {
        try {
            return guardedRead(action::get);
        } catch (Unavailable e) {
            return e.response;
        }
    }

    private static <T> T guardedRead(Supplier<T> action) {
        try {
            return action.get();
        } catch (IdempotencyStoreException e) {
            // the reason only: a driver's message may name hosts or users
            LOG.warn("tollgate.events.endpoint.unavailable: the webhooks tables could not be read ({})", e.reason());
            throw new Unavailable(error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, "unavailable",
                    "the webhook events could not be read (" + e.reason().name().toLowerCase(Locale.ROOT)
                            + "): see the application's log"));
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    /** Carries a 503 answer out of a guarded action. */
    private static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient WebEndpointResponse<Map<String, Object>> response;

        Unavailable(WebEndpointResponse<Map<String, Object>> response) {
            super(null, null, false, false);
            this.response = response;
        }
    }
}
