package dev.tollgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void toStringShowsPrefixAndLastFourOnly() {
        Secret secret = Secret.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertEquals("whsec_…LaSw", secret.toString());
        assertFalse(secret.toString().contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2"));
        assertEquals("sk_live_…wxyz", Secret.mask("sk_live_abcdefghijklmnopqrstuvwxyz"));
    }

    @Test
    void shortSecretsShowNothing() {
        assertEquals("****", Secret.mask("hunter2"));
        assertEquals("whsec_****", Secret.mask("whsec_abc"));
        assertEquals("****", Secret.mask(""));
    }

    @Test
    void blankAndNullAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Secret.of("  "));
        assertThrows(NullPointerException.class, () -> Secret.of(null));
    }

    @Test
    void equalityIsByValue() {
        assertEquals(Secret.of("abc-def-ghi"), Secret.of("abc-def-ghi"));
        assertNotEquals(Secret.of("abc-def-ghi"), Secret.of("abc-def-ghj"));
        assertEquals("abc-def-ghi", Secret.of("abc-def-ghi").reveal());
    }
}
