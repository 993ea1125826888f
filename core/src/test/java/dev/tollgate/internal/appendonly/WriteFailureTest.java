package dev.tollgate.internal.appendonly;

import static dev.tollgate.internal.appendonly.WriteFailure.IntegrityViolations.ALL;
import static dev.tollgate.internal.appendonly.WriteFailure.IntegrityViolations.CHECK_AND_NOT_NULL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which SQL states are a refused value: consent counts every integrity violation, legal check and not-null. */
class WriteFailureTest {

    @Test
    void dataExceptionsAreRefusedValuesEitherWay() {
        for (String state : List.of("22001", "22021", "22P05")) {
            assertTrue(WriteFailure.isRefusedValue(state, ALL), state);
            assertTrue(WriteFailure.isRefusedValue(state, CHECK_AND_NOT_NULL), state);
        }
    }

    @Test
    void integrityViolationsCountAsTheCallerSays() {
        for (String state : List.of("23514", "23502")) {
            assertTrue(WriteFailure.isRefusedValue(state, ALL), state);
            assertTrue(WriteFailure.isRefusedValue(state, CHECK_AND_NOT_NULL), state);
        }
        for (String state : List.of("23505", "23503", "23P01")) {
            assertTrue(WriteFailure.isRefusedValue(state, ALL), state);
            assertFalse(WriteFailure.isRefusedValue(state, CHECK_AND_NOT_NULL), state);
        }
    }

    @Test
    void anythingElseIsAStorageFailure() {
        for (String state : List.of("08006", "57014", "42P01", "40001", "22P02")) {
            assertFalse(WriteFailure.isRefusedValue(state, ALL), state);
            assertFalse(WriteFailure.isRefusedValue(state, CHECK_AND_NOT_NULL), state);
        }
        assertFalse(WriteFailure.isRefusedValue(null, ALL));
    }

    @Test
    void messagesNameTheOperationAndTheStateOnly() {
        assertEquals("the database refused to record acceptances: a value is out of range (SQL state 22001)",
                WriteFailure.refusedValueMessage("record acceptances", "22001"));
        assertEquals("could not read consent records (SQL state 08006): check the database connection and migrations",
                WriteFailure.storageFailureMessage("read consent records", "08006"));
        assertEquals("could not read consent records (SQL state null): check the database connection and migrations",
                WriteFailure.storageFailureMessage("read consent records", null));
    }
}
