package dev.tollgate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line and the configuration checks, without starting a server. */
class TollgateDemoTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @Test
    void defaultsAreEmbeddedDatabaseLoopbackPort8080AndGeneratedSecrets() {
        DemoSettings settings = DemoSettings.parse(List.of(), Map.of(), new SecureRandom());
        assertEquals(8080, settings.port());
        assertEquals("127.0.0.1", settings.host());
        assertNull(settings.jdbcUrl());
        assertFalse(settings.async());
        assertTrue(settings.generatedSecrets());
        assertTrue(settings.stripeSecret().reveal().matches("whsec_[0-9a-f]{48}"));
        assertFalse(settings.toString().contains(settings.stripeSecret().reveal()));
        assertFalse(settings.toString().contains(settings.revenueCatSecret().reveal()));
    }

    @Test
    void optionsAndEnvironmentAreRead() {
        DemoSettings settings = DemoSettings.parse(
                List.of("--port", "0", "--async", "--jdbc-url", "jdbc:postgresql://db:5432/app"),
                Map.of("TOLLGATE_STRIPE_WEBHOOK_SECRET", "whsec_from_tollgate_name_123456",
                        "STRIPE_WEBHOOK_SECRET", "whsec_plain_name_loses_1234567",
                        "REVENUECAT_WEBHOOK_SECRET", "rc_shared_secret_0123456789",
                        "TOLLGATE_DATABASE_URL", "jdbc:postgresql://ignored:5432/env"),
                new SecureRandom());
        assertEquals(0, settings.port());
        assertTrue(settings.async());
        assertEquals("jdbc:postgresql://db:5432/app", settings.jdbcUrl(), "the option wins over the environment");
        assertEquals("whsec_from_tollgate_name_123456", settings.stripeSecret().reveal());
        assertEquals("rc_shared_secret_0123456789", settings.revenueCatSecret().reveal());
        assertFalse(settings.generatedSecrets());
    }

    @Test
    void databaseUrlFromTheEnvironment() {
        DemoSettings settings = DemoSettings.parse(List.of(),
                Map.of("TOLLGATE_DATABASE_URL", "jdbc:postgresql://env:5432/app"), new SecureRandom());
        assertEquals("jdbc:postgresql://env:5432/app", settings.jdbcUrl());
    }

    @Test
    void everyBadOptionIsNamedInOneMessage() {
        DemoSettings.UsageException e = assertThrows(DemoSettings.UsageException.class, () -> DemoSettings.parse(
                List.of("--port", "eighty", "--bogus", "--jdbc-url", "mysql://db/app", "--host"), Map.of(),
                new SecureRandom()));
        assertTrue(e.getMessage().contains("--port must be a number, but was 'eighty'"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown option '--bogus'"), e.getMessage());
        assertTrue(e.getMessage().contains("must start with jdbc:postgresql:"), e.getMessage());
        assertTrue(e.getMessage().contains("--host needs a value"), e.getMessage());
        assertThrows(DemoSettings.UsageException.class,
                () -> DemoSettings.parse(List.of("--port", "70000"), Map.of(), new SecureRandom()));
    }

    @Test
    void aBadCommandLineExitsWithTheUsageCode() {
        TollgateDemo.StartFailed failed = assertThrows(TollgateDemo.StartFailed.class,
                () -> TollgateDemo.start(new String[] {"serve", "--port", "-1"}, Map.of(), out, err));
        assertEquals(TollgateDemo.USAGE_ERROR, failed.exitCode);
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("--port must be between 0 and 65535"));
    }

    @Test
    void helpPrintsTheUsageAndStartsNothing() throws Exception {
        assertNull(TollgateDemo.start(new String[] {"--help"}, Map.of(), out, err));
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).contains("--jdbc-url URL"));
    }

    @Test
    void productionRefusesToStartAndNamesEveryProblemWithoutShowingSecrets() {
        String weakSecret = "not-a-stripe-secret-but-long-enough";
        Map<String, String> env = Map.of("TOLLGATE_ENVIRONMENT", "production",
                "STRIPE_WEBHOOK_SECRET", weakSecret,
                "TOLLGATE_BILLING_ENFORCEMENT", "off");
        TollgateDemo.StartFailed failed = assertThrows(TollgateDemo.StartFailed.class,
                () -> TollgateDemo.start(new String[0], env, out, err));
        assertEquals(TollgateDemo.START_FAILED, failed.exitCode);
        String printed = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("not fit for production"), printed);
        assertTrue(printed.contains("DATABASE_URL"), printed);
        assertTrue(printed.contains("REVENUECAT_WEBHOOK_SECRET"), printed);
        assertTrue(printed.contains("ENFORCEMENT"), printed);
        assertFalse(printed.contains(weakSecret), printed);
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8), "nothing started, nothing printed");
    }

    @Test
    void anUnknownSubcommandIsAUsageError() {
        assertEquals(TollgateDemo.USAGE_ERROR, TollgateDemo.subcommand(new String[] {"deploy"}, Map.of(), out, err));
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("unknown subcommand 'deploy'"));
    }
}
