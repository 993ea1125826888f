package dev.tollgate.webhooks.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What the log gets of a handler's failure: its stack traces, its messages scrubbed, causes included. */
class ScrubbedFailureTest {

    @Test
    void theLoggedCopyKeepsStackTracesAndScrubsEveryMessage() {
        IllegalStateException cause = new IllegalStateException("token=abc123secretvalue for bob@example.org");
        RuntimeException failure = new RuntimeException("handler failed for bob@example.org", cause);

        Throwable logged = Dispatcher.scrubbed(failure);
        assertArrayEquals(failure.getStackTrace(), logged.getStackTrace());
        assertArrayEquals(cause.getStackTrace(), logged.getCause().getStackTrace());
        assertEquals("java.lang.RuntimeException: handler failed for [Filtered]", logged.toString());

        StringWriter printed = new StringWriter();
        logged.printStackTrace(new PrintWriter(printed));
        assertFalse(printed.toString().contains("bob@example.org"), printed.toString());
        assertFalse(printed.toString().contains("abc123secretvalue"), printed.toString());
    }
}
