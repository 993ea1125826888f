package dev.tollgate.benchmarks.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.benchmarks.StripeEventFixture;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StandInStripeVerifierTest {

    private static final long T = 1_763_900_000L;
    private static final String PAYLOAD = StripeEventFixture.subscriptionUpdated("evt_verifierTest");
    private static final String HEADER = StripeEventFixture.signatureHeader(PAYLOAD, T, StripeEventFixture.SECRET);

    private static StandInStripeVerifier at(long epochSecond) {
        return new StandInStripeVerifier(StripeEventFixture.SECRET, 300,
                Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    @Test
    void acceptsAFreshValidSignature() {
        assertTrue(at(T).verify(PAYLOAD, HEADER));
        assertTrue(at(T + 300).verify(PAYLOAD, HEADER));
        assertTrue(at(T - 300).verify(PAYLOAD, HEADER));
    }

    @Test
    void rejectsATimestampOutsideTheTolerance() {
        assertFalse(at(T + 301).verify(PAYLOAD, HEADER));
        assertFalse(at(T - 301).verify(PAYLOAD, HEADER));
    }

    @Test
    void rejectsATamperedPayloadOrAnotherSecret() {
        assertFalse(at(T).verify(PAYLOAD.replace("past_due", "active__"), HEADER));
        assertFalse(at(T).verify(PAYLOAD, StripeEventFixture.signatureHeader(PAYLOAD, T, "whsec_other")));
    }

    @Test
    void acceptsWhenAnyOfSeveralV1SignaturesMatches() {
        String rolled = "t=" + T + ",v1=" + "0".repeat(64) + ",v0=abc," + HEADER.substring(HEADER.indexOf("v1="));
        assertTrue(at(T).verify(PAYLOAD, rolled));
    }

    @Test
    void rejectsMalformedHeadersWithoutThrowing() {
        String sig = HEADER.substring(HEADER.indexOf("v1=") + 3);
        for (String header : new String[] {"", ",", "t=", "t=abc,v1=" + sig, "v1=" + sig, "t=" + T,
                "t=" + T + ",v1=", "t=" + T + ",v1=" + sig.substring(1), "t=" + T + ",v1=" + "zz".repeat(32),
                "t=" + T + ",v1=" + sig + "00", "t=-5,v1=" + sig, "t=99999999999999999999,v1=" + sig,
                "t=" + T + ",v1=" + sig.toUpperCase().replace('A', 'G'), "t=" + T + "," + "x".repeat(100_000)}) {
            assertFalse(at(T).verify(PAYLOAD, header), header.length() > 80 ? "huge header" : header);
        }
    }

    @Test
    void neverPrintsTheSecret() {
        assertFalse(at(T).toString().contains("whsec"));
        assertThrows(NullPointerException.class, () -> new StandInStripeVerifier(null, 300, Clock.systemUTC()));
    }

    @Test
    void parserReadsTheEnvelopeAndRefusesMalformedJson() {
        StandInEvent event = new StandInEventParser().parse(PAYLOAD);
        assertEquals("evt_verifierTest", event.id());
        assertEquals("customer.subscription.updated", event.type());
        assertEquals(1_763_900_000L, event.created());
        assertEquals("past_due", event.dataObject().get("status").asText());
        StandInEventParser parser = new StandInEventParser();
        for (String bad : new String[] {"", "{", "[]", "{\"id\":1,\"type\":\"x\"}", "{\"id\":\"evt\"}", "null"}) {
            assertThrows(IllegalArgumentException.class, () -> parser.parse(bad), bad);
        }
    }
}
