package dev.tollgate.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** README.md's quick start is the block {@link JaxrsRunbookContract} runs on Jersey and RESTEasy, line for line (indentation aside). */
class ReadmeQuickStartTest {

    @Test
    void the_readme_quick_start_is_the_tested_wiring() throws IOException {
        List<String> test = Files.readAllLines(Path.of("src/test/java/dev/tollgate/jaxrs/JaxrsRunbookContract.java"));
        String tested = between(test, "// quick start (README.md): begin", "// quick start (README.md): end");
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        String shown = between(readme, "```java", "```");
        assertEquals(tested, shown);
    }

    static String between(List<String> lines, String begin, String end) {
        int from = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(begin)) {
                from = i + 1;
                break;
            }
        }
        int to = from;
        while (to < lines.size() && !lines.get(to).strip().equals(end)) {
            to++;
        }
        List<String> block = lines.subList(from, to);
        int indent = block.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return block.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.joining("\n"));
    }
}
