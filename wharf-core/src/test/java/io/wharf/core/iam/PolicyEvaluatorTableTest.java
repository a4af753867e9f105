package io.wharf.core.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the decision tables in src/test/resources/iam/ (format: {@link DecisionTable}). */
class PolicyEvaluatorTableTest {

    private static final String[] TABLES = {"identity.table", "resource-policies.table", "conditions.table"};

    static Stream<DecisionTable.Row> rows() {
        return DecisionTable.rows(TABLES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(DecisionTable.Row row) {
        Decision actual = PolicyEvaluator.evaluate(row.request(), row.identity(), row.repository(), row.registry());
        assertThat(actual).as(row.name()).isEqualTo(row.expected());
    }

    @Test
    void tablesCoverEveryOutcome() {
        // Guards against a table that silently stopped loading rows, or lost all of one kind.
        assertThat(rows().map(DecisionTable.Row::expected)).contains(Decision.values());
        assertThat(rows().count()).isGreaterThanOrEqualTo(150);
    }
}
