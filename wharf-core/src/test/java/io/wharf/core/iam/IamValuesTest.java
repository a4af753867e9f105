package io.wharf.core.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The value types and matching helpers the tables exercise only indirectly. */
class IamValuesTest {

    private static final Principal ALICE = Principal.user("123456789012", "alice");

    @Test
    void principals() {
        assertThat(Principal.root("123456789012").arn()).isEqualTo("arn:aws:iam::123456789012:root");
        assertThat(Principal.root("123456789012").isRoot()).isTrue();
        assertThat(ALICE.arn()).isEqualTo("arn:aws:iam::123456789012:user/alice");
        assertThat(ALICE.isRoot()).isFalse();
        assertThat(Principal.user("123456789012", "ci/bot").userName()).isEqualTo("bot");
        assertThat(new Principal("123456789012", "arn:aws:iam::111122223333:root").isRoot()).isFalse(); // another account's root ARN
        assertThatThrownBy(() -> new Principal(" ", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decisions() {
        assertThat(Arrays.stream(Decision.values()).filter(Decision::allowed)).containsExactly(Decision.ALLOW);
    }

    @Test
    void requestsTakeTheResourceAccountFromTheArnOrTheCaller() {
        assertThat(new AuthzRequest(ALICE, "ecr:PutImage", "arn:aws:ecr:us-east-1:111122223333:repository/a").resourceAccount())
                .isEqualTo("111122223333");
        assertThat(new AuthzRequest(ALICE, "ecr:GetAuthorizationToken", "*").resourceAccount()).isEqualTo("123456789012");
        assertThat(new AuthzRequest(ALICE, "ecr:PutImage", "arn:aws:ecr:us-east-1:*:repository/a").resourceAccount())
                .isEqualTo("123456789012");
        assertThat(new AuthzRequest(ALICE, "ecr:PutImage", "*", "999988887777", null).resourceAccount()).isEqualTo("999988887777");
    }

    @Test
    void requestContextKeysIgnoreCaseAndDropEmptyValues() {
        Map<String, List<String>> context = new HashMap<>();
        context.put("aws:SourceIp", List.of("10.0.0.1"));
        context.put("AWS:SOURCEIP", List.of("10.0.0.2"));
        context.put("aws:TagKeys", List.of());
        AuthzRequest request = new AuthzRequest(ALICE, "ecr:PutImage", "*", null, context);
        assertThat(request.context().get("aws:sourceip")).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
        assertThat(request.context()).doesNotContainKey("aws:TagKeys");
        assertThatThrownBy(() -> request.context().put("k", List.of())).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void derivedContextKeysDoNotOverrideTheCallers() {
        var ctx = new RequestContext(new AuthzRequest(ALICE, "ecr:PutImage", "*", null,
                Map.of("aws:PrincipalTag/team", List.of("red"), "aws:username", List.of("override"))));
        assertThat(ctx.single("AWS:PRINCIPALARN")).isEqualTo(ALICE.arn());
        assertThat(ctx.single("aws:PrincipalType")).isEqualTo("User");
        assertThat(ctx.single("aws:username")).isEqualTo("override");
        assertThat(ctx.single("aws:ResourceAccount")).isEqualTo("123456789012");
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "arn:aws:ecr:*:123456789012:repository/*, arn:aws:ecr:us-east-1:123456789012:repository/a/b, true",
            "arn:aws:ecr:*:123456789012:repository/*, arn:aws:ecr:us-east-1:1:123456789012:repository/a, false",
            "arn:aws:ecr:us-?ast-1:*:repository/a,   arn:aws:ecr:us-east-1:123456789012:repository/a, true",
            "arn:aws:ecr:*,                          arn:aws:ecr:us-east-1:123456789012:repository/a, true",
            "arn:aws:ecr:*,                          arn:aws:s3:::bucket, false",
            "*,                                      arn:aws:s3:::bucket, true",
            "arn:aws:ecr:us-east-1:123456789012:repository/a.b, arn:aws:ecr:us-east-1:123456789012:repository/aXb, false",
            "arn:aws:ecr:us-east-1:123456789012:repository/[a], arn:aws:ecr:us-east-1:123456789012:repository/[a], true",
    })
    void arnPatterns(String pattern, String value, boolean matches) {
        var ctx = new RequestContext(new AuthzRequest(ALICE, "ecr:PutImage", value));
        assertThat(new MatchPattern(pattern, MatchPattern.Mode.ARN, false, true).matches(value, ctx)).isEqualTo(matches);
    }

    @Test
    void backtrackingResourcePatternsFinishQuickly() {
        String prefix = "arn:aws:ecr:us-east-1:123456789012:repository/";
        String value = prefix + "a".repeat(250);
        var ctx = new RequestContext(new AuthzRequest(ALICE, "ecr:PutImage", value));
        MatchPattern pattern = new MatchPattern(prefix + "*a".repeat(40) + "*b", MatchPattern.Mode.ARN, false, true);
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThat(pattern.matches(value, ctx)).isFalse());
    }

    @ParameterizedTest(name = "{0} contains {1} = {2}")
    @CsvSource({
            "10.0.0.0/8, 10.255.255.255, true", "10.0.0.0/8, 11.0.0.0, false", "0.0.0.0/0, 203.0.113.9, true",
            "10.1.2.3, 10.1.2.3, true", "10.1.2.3/32, 10.1.2.4, false", "10.1.2.3/8, 10.9.9.9, true",
            "192.168.0.0/17, 192.168.127.1, true", "192.168.0.0/17, 192.168.128.1, false",
            "2001:db8::/32, 2001:0db8:0:0:0:0:0:1, true", "::/0, ::1, true", "::/0, 10.0.0.1, false",
            "10.0.0.0/8, ' 10.0.0.1 ', true", "10.0.0.0/8, 10.0.0, false",
    })
    void ipRanges(String cidr, String ip, boolean contains) {
        assertThat(IpRange.parse(cidr).contains(ip)).isEqualTo(contains);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "2025-06-01T12:00:00Z, 1748779200", "2025-06-01T14:00:00+02:00, 1748779200", "2025-06-01T12:00:00, 1748779200",
            "2025-06-01, 1748736000", "1748779200, 1748779200", "2025-06-01T12:00:00.5Z, 1748779200",
    })
    void dates(String text, long epochSeconds) {
        assertThat(ConditionOperator.tryDate(text)).isBetween(Instant.ofEpochSecond(epochSeconds), Instant.ofEpochSecond(epochSeconds, 999_999_999));
    }

    @Test
    void unparseableDatesAreNull() {
        assertThat(ConditionOperator.tryDate("tomorrow")).isNull();
        assertThat(ConditionOperator.tryDate("2025-02-30")).isNull();
    }
}
