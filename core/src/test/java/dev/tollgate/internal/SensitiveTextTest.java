package dev.tollgate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SensitiveTextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mail alice@example.com now|mail [Filtered] now",
            "key sk_live_51HxYzAbCdEfGhIjKlMn end|key sk_live_…KlMn end",
            "secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZI|secret whsec_…LPZI",
            "Authorization: Bearer abc.def-ghi_jkl123|Authorization: [Filtered]",
            "url postgres://app:hunter2@db:5432/x|url postgres://app:[Filtered]@db:5432/x",
            "GET /cb?token=abc123&page=2|GET /cb?token=[Filtered]&page=2",
            "password=\"two words\" rest|password=[Filtered] rest",
            "card 4242 4242 4242 4242 ok|card [Filtered] ok",
            "order 1234 5678 9012 3456 ok|order 1234 5678 9012 3456 ok",
            "sig t=1,v1=5257a869e7ecebeda32affa62cdca3fa|sig t=1,v1=[Filtered]",
            "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijk|jwt [Filtered]",
            "plain text stays|plain text stays"})
    void scrubs(String input, String expected) {
        assertEquals(expected, SensitiveText.scrub(input));
    }

    @Test
    void luhn() {
        assertTrue(SensitiveText.luhn("4242424242424242"));
        assertTrue(SensitiveText.luhn("4000-0566-5566-5556"));
        assertFalse(SensitiveText.luhn("4242424242424241"));
        assertFalse(SensitiveText.luhn("424242424242"), "too short");
        assertFalse(SensitiveText.luhn("42424242424242424242"), "too long");
        assertEquals("", SensitiveText.scrub(""));
        String long1 = "a".repeat(60_000) + " alice@example.com password=x";
        assertTrue(SensitiveText.scrub(long1).endsWith(" [Filtered] password=[Filtered]"));
        String huge = "alice@example.com " + "a".repeat(1_000_000) + "@" + "b".repeat(100_000);
        String scrubbed = SensitiveText.scrub(huge);
        assertTrue(scrubbed.startsWith("[Filtered] aaa"));
        assertTrue(scrubbed.endsWith("…[truncated]"));
        assertEquals(SensitiveText.MAX_LENGTH + "…[truncated]".length() - "alice@example.com".length()
                + "[Filtered]".length(), scrubbed.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Authorization", "Stripe-Signature", "Cookie", "Set-Cookie", "password", "api_key",
            "X-Api-Key", "client_secret", "webhook-signature", "email", "access_token", "DSN"})
    void sensitiveNames(String name) {
        assertTrue(SensitiveText.isSensitiveName(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Type", "page", "tenant_id", "plan", "count"})
    void ordinaryNames(String name) {
        assertFalse(SensitiveText.isSensitiveName(name), name);
    }
}
