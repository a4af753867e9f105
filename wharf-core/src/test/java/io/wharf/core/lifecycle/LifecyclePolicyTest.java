package io.wharf.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The parsed model: what a valid policy turns into. The refusals are in validation.table. */
class LifecyclePolicyTest {

    private static final String THREE_RULES = """
            {"rules": [
              {"rulePriority": 20, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 5},
               "action": {"type": "expire"}},
              {"rulePriority": 3, "description": "archive stale releases",
               "selection": {"tagStatus": "tagged", "tagPatternList": ["v*", "*-rc*"], "countType": "sinceImagePulled",
                             "countUnit": "days", "countNumber": 45},
               "action": {"type": "transition", "targetStorageClass": "archive"}},
              {"rulePriority": 7, "selection": {"tagStatus": "tagged", "tagPrefixList": ["v1"], "storageClass": "archive",
                             "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 180},
               "action": {"type": "expire"}}
            ]}""";

    @Test
    void sortsRulesByPriorityAndKeepsTheTextAsGiven() {
        LifecyclePolicy policy = LifecyclePolicy.parse(THREE_RULES);
        assertThat(policy.rules()).extracting(Rule::priority).containsExactly(3, 7, 20);
        assertThat(policy.json()).isSameAs(THREE_RULES);
        assertThat(policy).hasToString(THREE_RULES);
    }

    @Test
    void readsEveryFieldOfARule() {
        Rule archive = LifecyclePolicy.parse(THREE_RULES).rules().getFirst();
        assertThat(archive.description()).isEqualTo("archive stale releases");
        assertThat(archive.selection()).isEqualTo(new Selection(TagStatus.TAGGED, List.of("v*", "*-rc*"), List.of(),
                StorageClass.STANDARD, CountType.SINCE_IMAGE_PULLED, 1, 45));
        assertThat(archive.selection().ageLimit()).contains(Duration.ofDays(45));
        assertThat(archive.action()).isEqualTo(new Action(ActionType.TRANSITION, StorageClass.ARCHIVE));
    }

    @Test
    void omittedFieldsTakeEcrsDefaults() {
        List<Rule> rules = LifecyclePolicy.parse(THREE_RULES).rules();
        Rule any = rules.getLast();
        assertThat(any.description()).isNull();
        assertThat(any.selection().storageClass()).isEqualTo(StorageClass.STANDARD);
        assertThat(any.selection().tagPatternList()).isEmpty();
        assertThat(any.selection().tagPrefixList()).isEmpty();
        assertThat(any.selection().countUnitDays()).isNull();
        assertThat(any.selection().ageLimit()).isEmpty();
        assertThat(any.action().targetStorageClass()).isNull();
        Rule expireArchived = rules.get(1);
        assertThat(expireArchived.selection().storageClass()).isEqualTo(StorageClass.ARCHIVE);
        assertThat(expireArchived.selection().tagPrefixList()).containsExactly("v1");
    }

    @Test
    void isImmutable() {
        LifecyclePolicy policy = LifecyclePolicy.parse(THREE_RULES);
        assertThatThrownBy(() -> policy.rules().clear()).isInstanceOf(UnsupportedOperationException.class);
        List<String> tags = policy.rules().getFirst().selection().tagPatternList();
        assertThatThrownBy(() -> tags.add("x")).isInstanceOf(UnsupportedOperationException.class);
        List<String> mine = new ArrayList<>(List.of("a"));
        Selection copy = new Selection(TagStatus.TAGGED, null, mine, null, CountType.IMAGE_COUNT_MORE_THAN, null, 1);
        mine.add("b");
        assertThat(copy.tagPrefixList()).containsExactly("a");
        assertThat(copy.tagPatternList()).isEmpty();
    }

    @Test
    void aSelectionHasAUnitExactlyWhenItCountsDays() {
        assertThatThrownBy(() -> new Selection(TagStatus.ANY, null, null, null, CountType.SINCE_IMAGE_PUSHED, null, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not null for sinceImagePushed");
        assertThatThrownBy(() -> new Selection(TagStatus.ANY, null, null, null, CountType.IMAGE_COUNT_MORE_THAN, 1, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Selection(TagStatus.ANY, null, null, null, CountType.SINCE_IMAGE_PUSHED, 1, 3).ageLimit())
                .contains(Duration.ofDays(3));
    }

    @Test
    void equalityIsAboutTheRulesNotTheLayout() {
        String compact = THREE_RULES.replace("\n", "").replace(": ", ":").replace(", ", ",");
        assertThat(LifecyclePolicy.parse(compact)).isEqualTo(LifecyclePolicy.parse(THREE_RULES))
                .hasSameHashCodeAs(LifecyclePolicy.parse(THREE_RULES));
        assertThat(LifecyclePolicy.parse(compact.replace("45", "46"))).isNotEqualTo(LifecyclePolicy.parse(THREE_RULES));
    }

    @Test
    void acceptsFiftyRulesButNotFiftyOne() {
        assertThat(LifecyclePolicy.parse(taggedRules(50)).rules()).hasSize(LifecyclePolicy.MAX_RULES);
        assertThatThrownBy(() -> LifecyclePolicy.parse(taggedRules(51))).isInstanceOf(LifecyclePolicyException.class)
                .hasMessage("Lifecycle policy validation failure: policy: a policy may hold at most 50 rules, not 51");
    }

    @Test
    void fiftyRulesFitTheApiLengthLimit() {
        assertThat(taggedRules(50).length()).isBetween(LifecyclePolicy.MIN_LENGTH, LifecyclePolicy.MAX_LENGTH);
        assertThat(LifecyclePolicy.MIN_LENGTH).isEqualTo(100);
        assertThat(LifecyclePolicy.MAX_LENGTH).isEqualTo(30_720);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" \n\t "})
    void refusesAnEmptyText(String json) {
        assertThatThrownBy(() -> LifecyclePolicy.parse(json)).isInstanceOf(LifecyclePolicyException.class)
                .hasMessage("Lifecycle policy validation failure: the policy text is empty");
    }

    @Test
    void keepsTheJsonErrorAsTheCause() {
        assertThatThrownBy(() -> LifecyclePolicy.parse("{\"rules\":"))
                .hasCauseInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class)
                .hasMessageStartingWith("Lifecycle policy validation failure: the policy is not valid JSON at line 1");
    }

    @Test
    void vocabularyIsTheLowerCaseGrammar() {
        assertThat(List.of(TagStatus.values())).extracting(TagStatus::json).containsExactly("tagged", "untagged", "any");
        assertThat(List.of(CountType.values())).extracting(CountType::json).containsExactly(
                "imageCountMoreThan", "sinceImagePushed", "sinceImagePulled", "sinceImageTransitioned");
        assertThat(List.of(StorageClass.values())).extracting(StorageClass::json).containsExactly("standard", "archive");
        assertThat(List.of(ActionType.values())).extracting(ActionType::json).containsExactly("expire", "transition");
        assertThat(CountType.IMAGE_COUNT_MORE_THAN.isAge()).isFalse();
        assertThat(CountType.SINCE_IMAGE_TRANSITIONED.isAge()).isTrue();
    }

    /** {@code n} valid rules: distinct prefixes, so none collide. */
    static String taggedRules(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> """
                {"rulePriority":%d,"selection":{"tagStatus":"tagged","tagPrefixList":["p%d"],\
                "countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}}""".formatted(i, i))
                .collect(Collectors.joining(",", "{\"rules\":[", "]}"));
    }
}
