package dev.tollgate.internal.appendonly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tollgate.Secret;
import dev.tollgate.internal.Digests;
import org.junit.jupiter.api.Test;

class FingerprintsTest {

    private static final Secret KEY = Secret.of("fingerprint-key-for-tests");

    @Test
    void aValueIsStoredAsItsKeyedHashNeverRaw() {
        assertEquals(Digests.hmacSha256Hex(KEY, "203.0.113.7"),
                Fingerprints.of(KEY, "203.0.113.7", IllegalStateException::new));
    }

    @Test
    void noValueNoFingerprintEvenWithoutAKey() {
        assertNull(Fingerprints.of(null, null, IllegalStateException::new));
        assertNull(Fingerprints.of(KEY, null, IllegalStateException::new));
    }

    @Test
    void aValueWithoutAKeyThrowsTheCallersException() {
        IllegalArgumentException missing = new IllegalArgumentException("no fingerprint key");
        assertSame(missing, assertThrows(IllegalArgumentException.class,
                () -> Fingerprints.of(null, "203.0.113.7", () -> missing)));
    }
}
