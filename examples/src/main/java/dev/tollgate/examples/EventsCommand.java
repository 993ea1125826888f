package dev.tollgate.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.webhooks.EventDetails;
import dev.tollgate.webhooks.EventFilter;
import dev.tollgate.webhooks.EventRecord;
import dev.tollgate.webhooks.EventState;
import dev.tollgate.webhooks.IdempotencyStoreException;
import dev.tollgate.webhooks.ReplayOutcome;
import dev.tollgate.webhooks.WebhookEvents;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code java -jar tollgate-demo.jar events list|show|redrive|replay|catch-up|resync …}: the operator's view of
 * {@code webhooks.events} through {@link WebhookEvents}, and the recovery commands of {@link EventsRecovery}. Exit codes: 0 done, 1 not found or nothing done, 2 usage.
 */
final class EventsCommand {

    static final String USAGE = """
            usage: events list [--state S]... [--provider P] [--type T] [--older-than AGE] [--newer-than AGE]
                               [--limit N] [--json] [database options]
                   events show ID [--provider P] [--payload] [--json] [database options]
                   events redrive ID [--provider P] [--json] [database options]
                   events redrive --all [--provider P] [--type T] [--older-than AGE] [--newer-than AGE] [--limit N]
                                  [--json] [database options]
                   events replay ID [--provider P] [--json] [database options]
                   events catch-up [--since TIME] [--dry-run] [--json] [--stripe-api-base URL] [database options]
                   events resync revenuecat (--dead-letters | --app-user ID...) [--json]
                                 [--revenuecat-api-base URL] [database options]

            list     events, newest first, without payloads; S is pending, processing, processed, failed or dead
            show     one event: attempts, last error, dead-letter rows, replays; the payload only with --payload
            redrive  puts dead letters back to pending for the worker: one, or --all matching the filter
            replay   runs a processed event's handlers again on purpose (recorded in webhooks.event_replays)
            catch-up lists Stripe's events created since TIME (an ISO instant such as 2026-12-01T00:00:00Z, or an AGE
                     such as 3d; at most 30 days) and applies the missed ones through the billing handlers; without
                     --since it continues from the last catch-up; --dry-run lists what would be applied.
                     Needs TOLLGATE_STRIPE_API_KEY (or STRIPE_API_KEY), a restricted key with Events read access
            resync   fetches RevenueCat subscribers (GET /v1/subscribers/ID) and applies their current state: the app
                     users of dead-lettered RevenueCat events, or those named. Needs TOLLGATE_REVENUECAT_API_KEY
                     (or REVENUECAT_API_KEY)

            AGE is a number and a unit: 90s, 15m, 2h, 3d. --provider defaults to stripe for show, redrive and replay.
            Exit code 0 done, 1 not found, nothing done or stopped part-way, 2 usage.
            database options: --jdbc-url URL (default $TOLLGATE_DATABASE_URL), --user U ($TOLLGATE_DATABASE_USER),
                              --password P ($TOLLGATE_DATABASE_PASSWORD, preferred)
            """;

    private static final int NOTHING_DONE = 1;
    private static final int USAGE_ERROR = 2;
    private static final Set<String> FLAGS = Set.of("json", "payload", "all", "dry-run", "dead-letters");
    private static final Set<String> VALUED = Set.of("state", "provider", "type", "older-than", "newer-than", "limit",
            "jdbc-url", "user", "password", "since", "app-user", "stripe-api-base", "revenuecat-api-base");
    /** Options that only catch-up and resync take. */
    private static final Set<String> RECOVERY_ONLY = Set.of("since", "stripe-api-base", "revenuecat-api-base");

    private EventsCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
        if (args.length == 0 || args[0].equals("--help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? USAGE_ERROR : 0;
        }
        Parsed parsed;
        try {
            parsed = Parsed.of(args);
            validate(parsed);
        } catch (IllegalArgumentException e) {
            err.println("events: " + e.getMessage());
            err.print(USAGE);
            return USAGE_ERROR;
        }
        try (HikariDataSource ds = dataSource(parsed.options, env)) {
            WebhookEvents events = WebhookEvents.create(ds, clock);
            return switch (parsed.command) {
                case "list" -> list(events, parsed, out);
                case "show" -> show(events, parsed, out, err);
                case "redrive" -> redrive(events, parsed, out, err);
                case "catch-up" -> EventsRecovery.catchUp(ds, parsed.options, parsed.flags, env, out, err, clock);
                case "resync" -> EventsRecovery.resync(ds, events, parsed.appUsers, parsed.flags, parsed.options, env,
                        out, err, clock);
                default -> replay(events, parsed, out, err);
            };
        } catch (IllegalArgumentException e) {
            err.println("events: " + e.getMessage());
            return USAGE_ERROR;
        } catch (IdempotencyStoreException e) {
            err.println("events: " + e.getMessage());
            return NOTHING_DONE;
        }
    }

    private static void validate(Parsed p) {
        switch (p.command) {
            case "list" -> {
                if (p.id != null) {
                    throw new IllegalArgumentException("list takes no ID, but got '" + abbreviate(p.id) + "'");
                }
                filter(p, true);
            }
            case "show", "replay" -> {
                if (p.id == null) {
                    throw new IllegalArgumentException(p.command + " needs an event ID");
                }
            }
            case "redrive" -> {
                if ((p.id == null) == !p.flags.contains("all")) {
                    throw new IllegalArgumentException("redrive needs either an event ID or --all, not both");
                }
                if (p.flags.contains("all")) {
                    filter(p, false);
                }
            }
            case "catch-up" -> {
                if (p.id != null) {
                    throw new IllegalArgumentException("catch-up takes no ID, but got '" + abbreviate(p.id) + "'");
                }
                EventsRecovery.validateCatchUp(p.options, p.flags);
            }
            case "resync" -> {
                if (!"revenuecat".equals(p.id)) {
                    throw new IllegalArgumentException("resync needs the provider: resync revenuecat");
                }
                if (p.flags.contains("dead-letters") == !p.appUsers.isEmpty()) {
                    throw new IllegalArgumentException("resync revenuecat needs either --dead-letters or --app-user ID,"
                            + " not both");
                }
            }
            default -> throw new IllegalArgumentException("unknown events command '" + abbreviate(p.command) + "'");
        }
        if (!p.command.equals("catch-up") && !p.command.equals("resync")) {
            for (String option : RECOVERY_ONLY) {
                if (p.options.containsKey(option)) {
                    throw new IllegalArgumentException("--" + option + " is for catch-up and resync only");
                }
            }
            if (p.flags.contains("dry-run") || p.flags.contains("dead-letters") || !p.appUsers.isEmpty()) {
                throw new IllegalArgumentException("--dry-run, --dead-letters and --app-user are for catch-up and"
                        + " resync only");
            }
        }
        if (p.flags.contains("payload") && !p.command.equals("show")) {
            throw new IllegalArgumentException("--payload is for show only");
        }
    }

    private static int list(WebhookEvents events, Parsed p, PrintStream out) {
        List<EventRecord> records = events.list(filter(p, true));
        if (p.flags.contains("json")) {
            List<String> items = new ArrayList<>();
            records.forEach(r -> items.add(json(r)));
            out.println("[" + String.join(",\n ", items) + "]");
        } else {
            out.println("PROVIDER\tID\tTYPE\tSTATE\tATTEMPTS\tRECEIVED\tPROCESSED\tLAST ERROR");
            for (EventRecord r : records) {
                out.println(r.provider() + "\t" + r.eventId() + "\t" + dash(r.eventType()) + "\t"
                        + r.state().databaseValue() + "\t" + r.attempts() + "\t" + r.receivedAt() + "\t"
                        + dash(r.processedAt()) + "\t" + dash(oneLine(r.lastError())));
            }
        }
        return records.isEmpty() ? NOTHING_DONE : 0;
    }

    private static int show(WebhookEvents events, Parsed p, PrintStream out, PrintStream err) {
        String provider = p.options.getOrDefault("provider", "stripe");
        Optional<EventDetails> found = events.show(provider, p.requireId(), p.flags.contains("payload"));
        if (found.isEmpty()) {
            err.println("events: no event " + provider + "/" + abbreviate(p.requireId()));
            return NOTHING_DONE;
        }
        EventDetails d = found.get();
        EventRecord r = d.event();
        if (p.flags.contains("json")) {
            StringBuilder b = new StringBuilder(json(r));
            b.setLength(b.length() - 1);
            List<String> dead = new ArrayList<>();
            for (EventDetails.DeadLetterEntry e : d.deadLetters()) {
                dead.add("{\"attempts\":" + e.attempts() + ",\"lastError\":" + str(e.lastError()) + ",\"deadAt\":"
                        + str(e.deadAt()) + ",\"redrivenAt\":" + str(e.redrivenAt()) + "}");
            }
            List<String> replays = new ArrayList<>();
            d.replays().forEach(t -> replays.add(str(t)));
            b.append(",\"deadLetters\":[").append(String.join(",", dead)).append("],\"replays\":[")
                    .append(String.join(",", replays)).append("]");
            if (d.payload() != null) {
                b.append(",\"payload\":").append(str(d.payload()));
            }
            out.println(b.append("}"));
            return 0;
        }
        out.println("event      " + r.provider() + "/" + r.eventId());
        out.println("type       " + dash(r.eventType()));
        out.println("state      " + r.state().databaseValue());
        out.println("attempts   " + r.attempts());
        out.println("received   " + r.receivedAt());
        out.println("processed  " + dash(r.processedAt()));
        out.println("last error " + dash(oneLine(r.lastError())));
        for (EventDetails.DeadLetterEntry e : d.deadLetters()) {
            out.println("dead       " + e.deadAt() + " after " + e.attempts() + " attempt(s), "
                    + (e.redrivenAt() == null ? "open" : "re-driven " + e.redrivenAt()));
        }
        for (Instant t : d.replays()) {
            out.println("replayed   " + t);
        }
        if (d.payload() != null) {
            out.println("payload    " + d.payload());
        }
        return 0;
    }

    private static int redrive(WebhookEvents events, Parsed p, PrintStream out, PrintStream err) {
        int count;
        if (p.id != null) {
            String provider = p.options.getOrDefault("provider", "stripe");
            count = events.redrive(provider, p.id) ? 1 : 0;
            if (count == 0) {
                err.println("events: " + provider + "/" + abbreviate(p.id) + " is not a dead letter");
            }
        } else {
            count = events.redrive(filter(p, false));
        }
        out.println(p.flags.contains("json") ? "{\"redriven\":" + count + "}" : "re-driven " + count);
        return count == 0 ? NOTHING_DONE : 0;
    }

    private static int replay(WebhookEvents events, Parsed p, PrintStream out, PrintStream err) {
        String provider = p.options.getOrDefault("provider", "stripe");
        String id = p.requireId();
        ReplayOutcome outcome = events.replay(provider, id);
        String name = outcome.name().toLowerCase(Locale.ROOT);
        out.println(p.flags.contains("json") ? "{\"outcome\":\"" + name + "\"}" : name + " " + provider + "/" + id);
        if (outcome != ReplayOutcome.REPLAYED) {
            err.println("events: " + switch (outcome) {
                case NOT_FOUND -> "no such event";
                case NO_PAYLOAD -> "the payload is not stored (processed synchronously): nothing to run again";
                default -> "only a processed event can be replayed; re-drive a dead one";
            });
            return NOTHING_DONE;
        }
        return 0;
    }

    private static EventFilter filter(Parsed p, boolean withStates) {
        EventFilter.Builder b = EventFilter.builder();
        if (!withStates && !p.states.isEmpty()) {
            throw new IllegalArgumentException("redrive --all looks at dead letters only; drop --state");
        }
        for (String s : p.states) {
            try {
                b.state(EventState.fromDatabaseValue(s));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--state must be pending, processing, processed, failed or dead,"
                        + " but was '" + abbreviate(s) + "'");
            }
        }
        Optional.ofNullable(p.options.get("provider")).ifPresent(b::provider);
        Optional.ofNullable(p.options.get("type")).ifPresent(b::eventType);
        Optional.ofNullable(p.options.get("older-than")).ifPresent(a -> b.olderThan(age("older-than", a)));
        Optional.ofNullable(p.options.get("newer-than")).ifPresent(a -> b.newerThan(age("newer-than", a)));
        String limit = p.options.get("limit");
        if (limit != null) {
            try {
                b.limit(Integer.parseInt(limit));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--limit must be a number, but was '" + abbreviate(limit) + "'");
            }
        }
        return b.build();
    }

    static Duration age(String option, String text) {
        if (text.matches("[0-9]{1,9}[smhd]")) {
            long n = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        throw new IllegalArgumentException("--" + option + " must be a number and a unit (90s, 15m, 2h, 3d), but was '"
                + abbreviate(text) + "'");
    }

    static String json(EventRecord r) {
        return "{\"provider\":" + str(r.provider()) + ",\"id\":" + str(r.eventId()) + ",\"type\":"
                + str(r.eventType()) + ",\"state\":" + str(r.state().databaseValue()) + ",\"attempts\":"
                + r.attempts() + ",\"receivedAt\":" + str(r.receivedAt()) + ",\"processedAt\":" + str(r.processedAt())
                + ",\"lastError\":" + str(r.lastError()) + "}";
    }

    static String str(@Nullable Object value) {
        if (value == null) {
            return "null";
        }
        String s = value.toString();
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static String dash(@Nullable Object value) {
        return value == null ? "-" : value.toString();
    }

    private static @Nullable String oneLine(@Nullable String text) {
        return text == null ? null : text.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }

    static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    private static HikariDataSource dataSource(Map<String, String> options, Map<String, String> env) {
        String url = options.getOrDefault("jdbc-url", env.get("TOLLGATE_DATABASE_URL"));
        if (url == null) {
            throw new IllegalArgumentException("no database: --jdbc-url jdbc:postgresql://host:5432/db");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        String user = options.getOrDefault("user", env.get("TOLLGATE_DATABASE_USER"));
        String password = options.getOrDefault("password", env.get("TOLLGATE_DATABASE_PASSWORD"));
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(3);
        config.setPoolName("tollgate-events");
        return new HikariDataSource(config);
    }

    /** The command line split into the command, an optional ID, flags and options. */
    private record Parsed(String command, @Nullable String id, Set<String> flags, Map<String, String> options,
                          List<String> states, List<String> appUsers) {

        String requireId() {
            if (id == null) {
                throw new IllegalArgumentException(command + " needs an event ID");
            }
            return id;
        }

        static Parsed of(String[] args) {
            String id = null;
            java.util.HashSet<String> flags = new java.util.HashSet<>();
            Map<String, String> options = new HashMap<>();
            List<String> states = new ArrayList<>();
            List<String> appUsers = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    if (id != null) {
                        throw new IllegalArgumentException("one event ID only, but got '" + abbreviate(a) + "' too");
                    }
                    id = a;
                    continue;
                }
                String name = a.substring(2);
                if (FLAGS.contains(name)) {
                    flags.add(name);
                } else if (VALUED.contains(name)) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    String value = args[++i];
                    if (name.equals("state")) {
                        states.add(value);
                    } else if (name.equals("app-user")) {
                        appUsers.add(value);
                    } else if (options.put(name, value) != null) {
                        throw new IllegalArgumentException(a + " was given twice");
                    }
                } else {
                    throw new IllegalArgumentException("unknown option '" + abbreviate(a) + "'");
                }
            }
            return new Parsed(args[0], id, Set.copyOf(flags), Map.copyOf(options), List.copyOf(states),
                    List.copyOf(appUsers));
        }
    }
}
