package io.wharf.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of lifecycle/validation.table: accepted, or refused with ECR's prefix and the expected detail. */
class LifecyclePolicyValidationTest {

    static List<PolicyTable.Row> rows() {
        return PolicyTable.load("validation.table");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void parsesOrRefusesAsTheTableSays(PolicyTable.Row row) {
        if (row.ok()) {
            LifecyclePolicy policy = LifecyclePolicy.parse(row.json());
            assertThat(policy.json()).isEqualTo(row.json());
            assertThat(policy.rules()).isSortedAccordingTo((a, b) -> Integer.compare(a.priority(), b.priority()));
        } else {
            assertThatThrownBy(() -> LifecyclePolicy.parse(row.json()))
                    .isInstanceOf(LifecyclePolicyException.class)
                    .hasMessageStartingWith(LifecyclePolicyException.PREFIX)
                    .hasMessageContaining(row.expected());
        }
    }

    @Test
    void theTableCoversEnoughCases() {
        List<PolicyTable.Row> rows = rows();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(80);
        assertThat(rows.stream().filter(PolicyTable.Row::ok)).hasSizeGreaterThanOrEqualTo(20);
    }
}
