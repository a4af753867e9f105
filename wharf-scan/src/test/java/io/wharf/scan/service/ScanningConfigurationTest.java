package io.wharf.scan.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.error.ConfigurationInvalidException;
import io.wharf.core.error.ParameterInvalidException;
import io.wharf.scan.service.ScanningConfiguration.Filter;
import io.wharf.scan.service.ScanningConfiguration.Rule;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanningConfigurationTest {

    private static Rule rule(String frequency, String... filters) {
        return new Rule(frequency, List.of(filters).stream().map(f -> new Filter(f, "WILDCARD")).toList());
    }

    @Test
    void aFilterWithoutAWildcardMatchesNamesContainingIt() {
        assertThat(new Filter("prod", "WILDCARD").matches("team/prod-api")).isTrue();
        assertThat(new Filter("prod", "WILDCARD").matches("team/dev")).isFalse();
        assertThat(new Filter("prod*", "WILDCARD").matches("prod/api")).isTrue();
        assertThat(new Filter("prod*", "WILDCARD").matches("team/prod")).as("* anchors the rest").isFalse();
        assertThat(new Filter("*api", "WILDCARD").matches("team/api")).isTrue();
        assertThat(new Filter("*", "WILDCARD").matches("anything")).isTrue();
    }

    @Test
    void rulesDecideOverTheRepositoryFlagAndContinuousWins() {
        var none = ScanningConfiguration.DEFAULT;
        assertThat(none.forRepository("a", true).scanFrequency()).isEqualTo("SCAN_ON_PUSH");
        assertThat(none.forRepository("a", false).scanFrequency()).isEqualTo("MANUAL");
        assertThat(new ScanningConfiguration("ENHANCED", List.of()).forRepository("a", true).scanOnPush())
                .as("enhanced scanning ignores the flag").isFalse();
        var config = ScanningConfiguration.validated("ENHANCED", List.of(rule("SCAN_ON_PUSH", "*"), rule("CONTINUOUS_SCAN", "prod")));
        assertThat(config.forRepository("prod/api", false).scanFrequency()).isEqualTo("CONTINUOUS_SCAN");
        assertThat(config.forRepository("prod/api", false).continuous()).isTrue();
        assertThat(config.forRepository("dev/api", false).scanFrequency()).isEqualTo("SCAN_ON_PUSH");
        var basic = ScanningConfiguration.validated(null, List.of(rule("SCAN_ON_PUSH", "team*")));
        assertThat(basic.scanType()).isEqualTo("BASIC");
        var other = basic.forRepository("other", true);
        assertThat(other.scanFrequency()).isEqualTo("MANUAL");
        assertThat(other.scanOnPush()).isFalse();
        assertThat(basic.forRepository("team/x", false).appliedScanFilters()).containsExactly(new Filter("team*", "WILDCARD"));
    }

    @Test
    void validationNamesTheMemberAndRefusesContinuousForBasic() {
        assertThatThrownBy(() -> ScanningConfiguration.validated("BASIC", List.of(rule("CONTINUOUS_SCAN", "*"))))
                .isInstanceOf(ConfigurationInvalidException.class);
        assertThatThrownBy(() -> ScanningConfiguration.validated("FAST", List.of()))
                .isInstanceOf(ParameterInvalidException.class).hasMessageContaining("'scanType'");
        assertThatThrownBy(() -> ScanningConfiguration.validated("BASIC", List.of(rule("SCAN_ON_PUSH", "Prod"))))
                .isInstanceOf(ParameterInvalidException.class).hasMessageContaining("'filter'");
        assertThatThrownBy(() -> ScanningConfiguration.validated("BASIC", List.of(rule("SCAN_ON_PUSH"))))
                .isInstanceOf(ParameterInvalidException.class).hasMessageContaining("'repositoryFilters'");
    }

    @Test
    void theStoredDocumentRoundTripsAndADamagedOneReadsAsTheDefault() {
        var config = ScanningConfiguration.validated("ENHANCED", List.of(rule("CONTINUOUS_SCAN", "prod", "*api")));
        assertThat(ScanningConfiguration.parse(config.toJson())).isEqualTo(config);
        assertThat(ScanningConfiguration.parse("{not json")).isEqualTo(ScanningConfiguration.DEFAULT);
    }
}
