package io.wharf.core.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.error.ConfigurationInvalidException;
import io.wharf.core.model.RepositoryName;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ECR's limits on the signing configuration, its wildcard filters, and its stored form. */
class SigningConfigurationTest {
    private static final String PROFILE = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/ci_profile";

    @Test
    void rulesCoverRepositoriesByWildcard() {
        SigningConfiguration c = new SigningConfiguration(List.of(rule(PROFILE, "team/*", "tools"))).validated();
        assertThat(c.rulesFor(RepositoryName.parse("team/app", 256))).hasSize(1);
        assertThat(c.rulesFor(RepositoryName.parse("tools", 256))).hasSize(1);
        assertThat(c.rulesFor(RepositoryName.parse("other/app", 256))).isEmpty();
        assertThat(SigningConfiguration.fromJson(c.toJson())).isEqualTo(c);
        assertThat(new SigningConfiguration(null).validated().rules()).isEmpty();
    }

    @Test
    void everyLimitIsAValidationError() {
        invalid(new SigningConfiguration(Collections.nCopies(11, rule(PROFILE, "*"))), "at most 10");
        invalid(new SigningConfiguration(List.of(rule("arn:aws:kms:us-east-1:123456789012:key/x", "*"))), "signingProfileArn");
        invalid(new SigningConfiguration(List.of(new SigningConfiguration.Rule(PROFILE, List.of()))), "1 to 100");
        invalid(new SigningConfiguration(List.of(new SigningConfiguration.Rule(PROFILE,
                List.of(new SigningConfiguration.Filter("*", "PREFIX_MATCH"))))), "WILDCARD_MATCH");
        invalid(new SigningConfiguration(List.of(rule(PROFILE, "Upper"))), "filter must be");
    }

    private static void invalid(SigningConfiguration c, String message) {
        assertThatThrownBy(c::validated).isInstanceOf(ConfigurationInvalidException.class).hasMessageContaining(message);
    }

    private static SigningConfiguration.Rule rule(String profile, String... filters) {
        return new SigningConfiguration.Rule(profile, java.util.Arrays.stream(filters)
                .map(f -> new SigningConfiguration.Filter(f, SigningConfiguration.WILDCARD_MATCH)).toList());
    }
}
