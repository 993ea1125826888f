package dev.tollgate.webhooks.signature;

import static dev.tollgate.webhooks.signature.TestSigner.stripeV1;
import static dev.tollgate.webhooks.signature.TestSigner.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import dev.tollgate.webhooks.SignatureException;
import dev.tollgate.webhooks.StripeVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Feeds generated and mutated Stripe deliveries to Tollgate's {@link StripeVerifier} and to stripe-java's
 * {@code Webhook.Signature.verifyHeader}, and requires the same accept/refuse decision on every case except
 * the documented differences:
 *
 * <ul>
 *   <li>{@code FUTURE_TIMESTAMP}: stripe-java never refuses a timestamp in the future; Tollgate refuses one
 *       further ahead than the tolerance ({@code TIMESTAMP_OUTSIDE_TOLERANCE}).
 *   <li>{@code STRIPE_RAW_EXCEPTION}: stripe-java throws an unchecked exception (NumberFormatException,
 *       ArrayIndexOutOfBoundsException, …) on some garbled headers; Tollgate must refuse those with a
 *       {@link SignatureException} (asserted).
 *   <li>{@code TOO_MANY_V1}: stripe-java compares every {@code v1} entry of a header; Tollgate refuses a header
 *       with more than {@link StripeVerifier#MAX_V1_SIGNATURES} of them ({@code TOO_MANY_SIGNATURES}) before
 *       comparing any, so such a header is refused even when one entry matches.
 * </ul>
 *
 * <p>stripe-java takes one secret, so each case uses one. The main run gives both sides the same fixed clock
 * (stripe-java's {@code verifyHeader(…, Clock)} overload, the same code path as the 4-argument method), so no case
 * depends on when the test runs, including cases exactly on the tolerance boundaries; a second, smaller run calls
 * the 4-argument method on its system clock with timestamps kept away from the boundaries. Run another seed with
 * {@code -Dtollgate.differential.seed=<n>}.
 */
class StripeDifferentialTest {

    private static final long SEED = Long.getLong("tollgate.differential.seed", 20_261_123L);
    private static final int CASES = 12_000;
    private static final long FIXED_NOW = 1_763_900_000L;
    private static final long TOLERANCE = 300;
    /** Seconds kept away from the tolerance boundaries when stripe-java reads the system clock. */
    private static final long MARGIN = 30;

    private static final String[] SECRETS = {
        "whsec_5JzSJOuVZwzPUGvfXJqAHgqQZE1MeO1u",
        "whsec_test_secret",
        "whsec_ÄÖÜ-non-ascii-secret-ünïcødé",
        "whsec_" + "k".repeat(200),
        "a-secret-without-prefix",
        "whsec_3f1a5b7c9d2e4f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4",
    };

    enum Mutation {
        BODY_FLIP, BODY_CRLF_LF, BODY_TRAILING_NEWLINE, SIG_FLIP, SIG_UPPERCASE, SIG_TRUNCATE, SIG_EXTEND,
        WHITESPACE, DUPLICATE_T_FIRST, DUPLICATE_T_LAST, REMOVE_T, EXTRA_V1_RANDOM, EXTRA_V1_OTHER_SECRET,
        MANY_V1, V0_ONLY, UNKNOWN_SCHEMES, EMPTY_VALUES, HUGE_OR_ODD_NUMBERS, NON_ASCII_HEADER, ITEM_WITHOUT_EQUALS,
        KEY_CASE, SEPARATOR, EDIT_T_KEEP_SIGNATURE, WRONG_SECRET, EMPTY_HEADER, SHUFFLE_ITEMS
    }

    enum Category { AGREE_ACCEPT, AGREE_REFUSE, FUTURE_TIMESTAMP, STRIPE_RAW_EXCEPTION, TOO_MANY_V1 }

    /** One delivery under construction: the body, the header items, and the secret it is checked with. */
    private static final class Case {
        String secret;
        String body;
        long timestamp;
        List<String> items = new ArrayList<>();
        String header;
        final List<Mutation> applied = new ArrayList<>();
    }

    /** How stripe-java is called: with the test's clock, or with its own system clock. */
    @FunctionalInterface
    private interface StripeJava {
        void verifyHeader(String payload, String header, String secret) throws SignatureVerificationException;
    }

    @Test
    void tollgateAndStripeJavaAgreeOnEveryCaseExceptTheDocumentedDifferences() {
        // 0.999 s past the second: both sides must floor to the same second.
        Clock clock = Clock.fixed(Instant.ofEpochSecond(FIXED_NOW, 999_000_000), ZoneOffset.UTC);
        run(SEED, CASES, FIXED_NOW, clock, false,
                (payload, header, secret) -> Webhook.Signature.verifyHeader(payload, header, secret, TOLERANCE, clock));
    }

    @Test
    void theSystemClockEntryPointOfStripeJavaAgreesToo() {
        // stripe-java's 4-argument verifyHeader reads System.currentTimeMillis(); Tollgate gets a clock fixed at the
        // same second, and generated timestamps keep MARGIN seconds away from the tolerance boundaries, so the few
        // seconds this run takes cannot change an answer.
        long now = Instant.now().getEpochSecond();
        Clock clock = Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC);
        run(SEED + 1, 2_000, now, clock, true,
                (payload, header, secret) -> Webhook.Signature.verifyHeader(payload, header, secret, TOLERANCE));
    }

    private static void run(long seed, int cases, long now, Clock clock, boolean margins, StripeJava stripeJava) {
        Random random = new Random(seed);
        Map<String, StripeVerifier> verifiers = new TreeMap<>();
        for (String secret : SECRETS) {
            verifiers.put(secret, StripeVerifier.builder().secret(secret).tolerance(Duration.ofSeconds(TOLERANCE))
                    .clock(clock).build());
        }
        Map<Category, Integer> categories = new EnumMap<>(Category.class);
        Map<Mutation, Integer> mutations = new EnumMap<>(Mutation.class);
        Map<String, Integer> rawExceptions = new TreeMap<>();
        List<String> disagreements = new ArrayList<>();

        for (int i = 0; i < cases; i++) {
            Case c = generate(random, now, margins);
            int count = random.nextInt(10) < 2 ? 0 : 1 + random.nextInt(3); // 20 % stay untouched
            for (int m = 0; m < count; m++) {
                Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
                mutate(c, mutation, random);
                c.applied.add(mutation);
                mutations.merge(mutation, 1, Integer::sum);
            }
            if (c.header == null) {
                c.header = String.join(",", c.items);
            }

            String stripe;
            try {
                stripeJava.verifyHeader(c.body, c.header, c.secret);
                stripe = "accept";
            } catch (SignatureVerificationException e) {
                stripe = "refuse";
            } catch (RuntimeException e) {
                stripe = "raw " + e.getClass().getSimpleName();
            }
            String tollgate;
            SignatureException.Reason reason = null;
            try {
                verifiers.get(c.secret).verify(utf8(c.body), c.header);
                tollgate = "accept";
            } catch (SignatureException e) {
                tollgate = "refuse";
                reason = e.reason();
            } catch (RuntimeException e) {
                fail(describe(seed, i, c) + ": Tollgate threw " + e + " instead of a SignatureException");
                return;
            }

            Category category;
            if (stripe.startsWith("raw ")) {
                category = Category.STRIPE_RAW_EXCEPTION;
                rawExceptions.merge(stripe.substring(4), 1, Integer::sum);
                if (!tollgate.equals("refuse")) {
                    disagreements.add(describe(seed, i, c) + ": stripe-java threw " + stripe.substring(4)
                            + " but Tollgate accepted");
                }
            } else if (stripe.equals("accept") && tollgate.equals("refuse")
                    && reason == SignatureException.Reason.TIMESTAMP_OUTSIDE_TOLERANCE
                    && firstTimestampAsStripeReadsIt(c.header) > now + TOLERANCE) {
                category = Category.FUTURE_TIMESTAMP;
            } else if (stripe.equals("accept") && tollgate.equals("refuse")
                    && reason == SignatureException.Reason.TOO_MANY_SIGNATURES
                    && v1Entries(c.header) > StripeVerifier.MAX_V1_SIGNATURES) {
                category = Category.TOO_MANY_V1;
            } else if (stripe.equals(tollgate)) {
                category = stripe.equals("accept") ? Category.AGREE_ACCEPT : Category.AGREE_REFUSE;
            } else {
                disagreements.add(describe(seed, i, c) + ": stripe-java " + stripe + "s, Tollgate " + tollgate + "s"
                        + (reason == null ? "" : " (" + reason + ")"));
                continue;
            }
            categories.merge(category, 1, Integer::sum);
        }

        System.out.printf(Locale.ROOT, "Stripe differential, seed %d, %d cases: %s; mutations %s; stripe-java raw "
                + "exceptions %s%n", seed, cases, categories, mutations, rawExceptions);
        if (!disagreements.isEmpty()) {
            fail("seed " + seed + ": " + disagreements.size() + " disagreement(s), first ones:\n"
                    + String.join("\n", disagreements.subList(0, Math.min(15, disagreements.size()))));
        }
        int total = categories.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(cases, total, "seed " + seed + ": cases counted");
        // The generator must really exercise both answers and both documented differences.
        assertTrue(categories.getOrDefault(Category.AGREE_ACCEPT, 0) >= cases / 8, "seed " + seed + ": " + categories);
        assertTrue(categories.getOrDefault(Category.AGREE_REFUSE, 0) >= cases / 3, "seed " + seed + ": " + categories);
        assertTrue(categories.getOrDefault(Category.FUTURE_TIMESTAMP, 0) >= cases / 200, "seed " + seed + ": " + categories);
        assertTrue(categories.getOrDefault(Category.STRIPE_RAW_EXCEPTION, 0) >= cases / 200, "seed " + seed + ": " + categories);
        assertTrue(categories.getOrDefault(Category.TOO_MANY_V1, 0) >= cases / 200, "seed " + seed + ": " + categories);
        for (Mutation mutation : Mutation.values()) {
            assertTrue(mutations.getOrDefault(mutation, 0) >= cases / 200, "seed " + seed + ": mutation " + mutation
                    + " applied only " + mutations.getOrDefault(mutation, 0) + " times");
        }
    }

    private static String describe(long seed, int index, Case c) {
        return "seed " + seed + " case " + index + " " + c.applied + " secret=" + c.secret + " t=" + c.timestamp
                + " header=[" + c.header + "] body(" + c.body.length() + " chars)=["
                + (c.body.length() > 80 ? c.body.substring(0, 80) + "…" : c.body) + "]";
    }

    /** How many items of a header have the key {@code v1} (test-side, deliberately naive). */
    private static long v1Entries(String header) {
        return java.util.Arrays.stream(header.split(",", -1)).filter(item -> item.split("=", 2)[0].equals("v1")).count();
    }

    /** The first {@code t}, read the way stripe-java reads it (test-side, deliberately naive). */
    private static long firstTimestampAsStripeReadsIt(String header) {
        for (String item : header.split(",", -1)) {
            String[] parts = item.split("=", 2);
            if (parts[0].equals("t")) {
                return Long.parseLong(parts[1]);
            }
        }
        throw new AssertionError("no t in " + header);
    }

    private static Case generate(Random random, long now, boolean margins) {
        Case c = new Case();
        c.secret = SECRETS[random.nextInt(SECRETS.length)];
        c.body = body(random);
        c.timestamp = now + (margins ? timestampOffsetWithMargins(random, now) : timestampOffset(random, now));
        c.items.add("t=" + c.timestamp);
        c.items.add("v1=" + stripeV1(c.secret, c.timestamp, utf8(c.body)));
        if (random.nextInt(4) == 0) {
            c.items.add("v0=" + stripeV1("whsec_legacy", c.timestamp, utf8(c.body)));
        }
        return c;
    }

    private static long timestampOffsetWithMargins(Random random, long now) {
        switch (random.nextInt(4)) {
            case 0: return -TOLERANCE - MARGIN - random.nextInt(100_000);
            case 1: return TOLERANCE + MARGIN + random.nextInt(100_000);
            default: return random.nextInt((int) (2 * (TOLERANCE - MARGIN) + 1)) - (TOLERANCE - MARGIN);
        }
    }

    private static long timestampOffset(Random random, long now) {
        switch (random.nextInt(12)) {
            case 0: return 0;
            case 1: return -TOLERANCE;            // oldest accepted
            case 2: return -TOLERANCE - 1;        // first refused
            case 3: return TOLERANCE;             // furthest future accepted
            case 4: return TOLERANCE + 1;         // first future refused by Tollgate only
            case 5: return -TOLERANCE - 2 - random.nextInt(100_000);
            case 6: return TOLERANCE + 2 + random.nextInt(100_000);
            case 7: return 1 - now;               // t=1
            case 8: return 4_000_000_000L - now;  // year 2096
            default: return random.nextInt((int) (2 * TOLERANCE + 1)) - TOLERANCE;
        }
    }

    private static final String[] WORDS = {
        "\"id\"", "\"evt_1PgcA2B7WZ01zgkW\"", "\"type\"", "\"invoice.paid\"", "\"amount\"", "2000", "null", "true",
        "\"caf\u00e9\"", "\"\u65e5\u672c\u8a9e\"", "\"\ud83d\ude00\"", "\"\\u00e9\"", "\"a,b=c\"", "\"t=1,v1=x\"", "0.5",
    };

    private static String body(Random random) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return "";
        }
        if (kind == 1) { // not JSON at all
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(200);
            for (int i = 0; i < length; i++) {
                text.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : 0xA0 + random.nextInt(0x300)));
            }
            return text.toString();
        }
        String newline = switch (random.nextInt(3)) {
            case 0 -> "\n";
            case 1 -> "\r\n";
            default -> "";
        };
        StringBuilder json = new StringBuilder("{").append(newline);
        int fields = 1 + random.nextInt(kind == 2 ? 120 : 12); // up to ~2 KB
        for (int i = 0; i < fields; i++) {
            json.append("  \"f").append(i).append("\": ").append(WORDS[random.nextInt(WORDS.length)]);
            json.append(i + 1 < fields ? "," : "").append(newline);
        }
        return json.append("}").toString();
    }

    private static void mutate(Case c, Mutation mutation, Random random) {
        switch (mutation) {
            case BODY_FLIP -> {
                if (c.body.isEmpty()) {
                    c.body = "x";
                } else {
                    int at = random.nextInt(c.body.length());
                    char old = c.body.charAt(at);
                    char replacement = Character.isSurrogate(old) ? 'x' : (char) (old ^ (1 + random.nextInt(31)));
                    c.body = c.body.substring(0, at) + (Character.isSurrogate(replacement) ? 'y' : replacement)
                            + c.body.substring(at + 1);
                }
            }
            case BODY_CRLF_LF -> c.body = c.body.contains("\r\n") ? c.body.replace("\r\n", "\n")
                    : c.body.contains("\n") ? c.body.replace("\n", "\r\n") : c.body + "\r\n";
            case BODY_TRAILING_NEWLINE -> c.body = c.body + (random.nextBoolean() ? "\n" : "\r\n");
            case SIG_FLIP -> editV1(c, random, v -> {
                if (v.isEmpty()) {
                    return "0";
                }
                int at = random.nextInt(v.length());
                char replacement = "0123456789abcdef".charAt(random.nextInt(16));
                if (replacement == v.charAt(at)) {
                    replacement = replacement == '0' ? '1' : '0';
                }
                return v.substring(0, at) + replacement + v.substring(at + 1);
            });
            case SIG_UPPERCASE -> editV1(c, random, v -> v.toUpperCase(Locale.ROOT));
            case SIG_TRUNCATE -> editV1(c, random, v -> v.substring(0, random.nextInt(v.length() + 1)));
            case SIG_EXTEND -> editV1(c, random, v -> v + "0123456789abcdef ".charAt(random.nextInt(17)));
            case WHITESPACE -> {
                int at = random.nextInt(c.items.size());
                String item = c.items.get(at);
                String space = random.nextBoolean() ? " " : "\t";
                int eq = item.indexOf('=');
                c.items.set(at, switch (random.nextInt(4)) {
                    case 0 -> space + item;
                    case 1 -> item + space;
                    case 2 -> eq < 0 ? item + space : item.substring(0, eq) + space + item.substring(eq);
                    default -> eq < 0 ? space + item : item.substring(0, eq + 1) + space + item.substring(eq + 1);
                });
            }
            case DUPLICATE_T_FIRST -> c.items.add(0, "t=" + (c.timestamp + (random.nextBoolean() ? 0 : 1 + random.nextInt(50))));
            case DUPLICATE_T_LAST -> c.items.add("t=" + (random.nextBoolean() ? c.timestamp + 7 : "garbage"));
            case REMOVE_T -> c.items.removeIf(item -> item.startsWith("t="));
            case EXTRA_V1_RANDOM -> {
                byte[] bytes = new byte[32];
                random.nextBytes(bytes);
                c.items.add(random.nextInt(c.items.size() + 1), "v1=" + HexFormat.of().formatHex(bytes));
            }
            case EXTRA_V1_OTHER_SECRET -> c.items.add(random.nextInt(c.items.size() + 1),
                    "v1=" + stripeV1("whsec_other", c.timestamp, utf8(c.body)));
            case MANY_V1 -> {
                int many = 50 + random.nextInt(150);
                for (int i = 0; i < many; i++) {
                    byte[] bytes = new byte[32];
                    random.nextBytes(bytes);
                    c.items.add(random.nextInt(c.items.size() + 1), "v1=" + HexFormat.of().formatHex(bytes));
                }
            }
            case V0_ONLY -> c.items.replaceAll(item -> item.startsWith("v1=") ? "v0" + item.substring(2) : item);
            case UNKNOWN_SCHEMES -> {
                String[] unknown = {"v2=abc", "foo=bar", "=x", "", "v1a=deadbeef", "v10=1", "s=", "==", "t1=5"};
                c.items.add(random.nextInt(c.items.size() + 1), unknown[random.nextInt(unknown.length)]);
            }
            case EMPTY_VALUES -> {
                String key = random.nextBoolean() ? "t=" : "v1=";
                int at = random.nextInt(c.items.size() + 1);
                if (random.nextBoolean()) {
                    c.items.add(at, key);
                } else {
                    c.items.replaceAll(item -> item.startsWith(key) ? key : item);
                }
            }
            case HUGE_OR_ODD_NUMBERS -> {
                String[] odd = {"99999999999999999999", "9223372036854775807", "9223372036854775808", "-5", "0", "-0",
                    "+" + c.timestamp, "00" + c.timestamp, c.timestamp + ".0", "1e9", "0x10", " " + c.timestamp,
                    "-9223372036854775808", Long.toString(c.timestamp).repeat(3)};
                String value = odd[random.nextInt(odd.length)];
                c.items.replaceAll(item -> item.startsWith("t=") ? "t=" + value : item);
            }
            case NON_ASCII_HEADER -> {
                switch (random.nextInt(4)) {
                    case 0 -> c.items.replaceAll(item -> item.startsWith("t=") ? "t=" + arabicIndic(c.timestamp) : item);
                    case 1 -> editV1(c, random, v -> v.isEmpty() ? "\u00e9" : "\u00e9" + v.substring(1));
                    case 2 -> c.items.add(random.nextInt(c.items.size() + 1), "\u00fc=\u65e5\u672c");
                    default -> c.items.replaceAll(item -> item.startsWith("t=") ? "t=\uff11\uff12" : item);
                }
            }
            case ITEM_WITHOUT_EQUALS -> {
                String[] bare = {"t", "v1", "v0", "x", "t,", "v1 "};
                c.items.add(random.nextInt(c.items.size() + 1), bare[random.nextInt(bare.length)]);
            }
            case KEY_CASE -> c.items.replaceAll(item -> item.startsWith("t=") && random.nextBoolean() ? "T" + item.substring(1)
                    : item.startsWith("v1=") ? "V1" + item.substring(2) : item);
            case SEPARATOR -> c.header = String.join(random.nextBoolean() ? ";" : (random.nextBoolean() ? ", " : ",,"), c.items);
            case EDIT_T_KEEP_SIGNATURE -> {
                long edited = c.timestamp + (random.nextBoolean() ? 1 : -1) * (1 + random.nextInt(400));
                c.items.replaceAll(item -> item.startsWith("t=") ? "t=" + edited : item);
            }
            case WRONG_SECRET -> c.items.replaceAll(item -> item.startsWith("v1=")
                    ? "v1=" + stripeV1(c.secret + "x", c.timestamp, utf8(c.body)) : item);
            case EMPTY_HEADER -> c.header = new String[] {"", " ", ",", "=", "t=,v1="}[random.nextInt(5)];
            case SHUFFLE_ITEMS -> java.util.Collections.shuffle(c.items, random);
        }
    }

    private static void editV1(Case c, Random random, java.util.function.UnaryOperator<String> edit) {
        List<Integer> v1 = new ArrayList<>();
        for (int i = 0; i < c.items.size(); i++) {
            if (c.items.get(i).startsWith("v1=")) {
                v1.add(i);
            }
        }
        if (v1.isEmpty()) {
            return;
        }
        int at = v1.get(random.nextInt(v1.size()));
        c.items.set(at, "v1=" + edit.apply(c.items.get(at).substring(3)));
    }

    private static String arabicIndic(long value) {
        StringBuilder digits = new StringBuilder();
        for (char c : Long.toString(value).toCharArray()) {
            digits.append((char) ('\u0660' + (c - '0')));
        }
        return digits.toString();
    }
}
