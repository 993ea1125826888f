package dev.tollgate.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.spring.TollgateStartupException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

class TollgateStartupFailureAnalyzerTest {

    @Test
    void the_start_up_report_lists_every_problem_and_says_what_to_do() {
        TollgateStartupException cause = new TollgateStartupException(List.of("first problem", "second problem"));
        FailureAnalysis analysis = new TollgateStartupFailureAnalyzer()
                .analyze(new BeanCreationException("tollgateStartupValidation", "failed", cause));
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("2 problems").contains("first problem").contains("second problem");
        assertThat(analysis.getAction()).contains("tollgate.");
    }

    @Test
    void other_failures_are_left_to_spring() {
        assertThat(new TollgateStartupFailureAnalyzer().analyze(new IllegalStateException("x"))).isNull();
    }
}
