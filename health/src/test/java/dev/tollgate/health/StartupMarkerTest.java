package dev.tollgate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StartupMarkerTest {

    @Test
    void formatsOneLinePerComponent() {
        assertEquals("tollgate.webhooks.ready provider=stripe",
                StartupMarker.of("webhooks", "ready").with("provider", "stripe").line());
        assertEquals("tollgate.billing.enforcement mode=on tenants=12",
                StartupMarker.of("billing", "enforcement").with("mode", "on").with("tenants", "12").toString());
    }

    @Test
    void logsToTheStartupLogger() {
        String out = LogCapture.during(() -> StartupMarker.of("config", "validated").with("environment", "production").log());
        assertTrue(out.contains("dev.tollgate.startup - tollgate.config.validated environment=production"), out);
    }

    @Test
    void refusesFreeTextAndSecretsWithoutEchoingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StartupMarker("Webhooks", "ready", java.util.Map.of("secret", "whsec_abcdefghijklmnopqrstuvwx")));
        assertTrue(e.getMessage().contains("component must be a lower-case token"), e.getMessage());
        assertTrue(e.getMessage().contains("field 'secret'"), e.getMessage());
        assertFalse(e.getMessage().contains("abcdefghijklmnop"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StartupMarker.of("db", "ready").with("url", "a b"));
        assertThrows(IllegalArgumentException.class, () -> StartupMarker.of("db", "ready").with("email", "a@b.co"));
        assertThrows(IllegalArgumentException.class, () -> StartupMarker.of("db", "ready").with("k", ""));
    }
}
