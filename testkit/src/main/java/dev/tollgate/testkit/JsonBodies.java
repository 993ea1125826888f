package dev.tollgate.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/** Writes fixture bodies the way the providers do (two-space indent, {@code "key": value}) and makes ids. */
final class JsonBodies {

    static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final ObjectWriter WRITER;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    static {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        printer.indentObjectsWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        WRITER = MAPPER.writer(printer);
    }

    private JsonBodies() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static byte[] write(ObjectNode json) {
        try {
            return (WRITER.writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a fixture body could not be written as JSON", e);
        }
    }

    /** A Stripe-like id: the prefix and 24 random letters and digits. */
    static String randomId(String prefix) {
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < 24; i++) {
            id.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return id.toString();
    }

    static IllegalArgumentException invalid(String what, List<String> problems) {
        return new IllegalArgumentException("invalid " + what + ": " + String.join("; ", problems));
    }
}
