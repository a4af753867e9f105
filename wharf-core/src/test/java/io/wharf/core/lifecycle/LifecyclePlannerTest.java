package io.wharf.core.lifecycle;

import static io.wharf.core.lifecycle.ActionType.EXPIRE;
import static io.wharf.core.lifecycle.LifecycleEvaluatorTest.NOW;
import static io.wharf.core.lifecycle.LifecycleEvaluatorTest.count;
import static io.wharf.core.lifecycle.LifecycleEvaluatorTest.daysAgo;
import static io.wharf.core.lifecycle.LifecycleEvaluatorTest.image;
import static io.wharf.core.lifecycle.LifecycleEvaluatorTest.policy;
import static io.wharf.core.lifecycle.LifecycleEvaluatorTest.pushed;
import static io.wharf.core.lifecycle.LifecycleEvaluatorTest.rule;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The protections on top of the evaluator: referrers follow their subject, recent pulls keep an image. */
class LifecyclePlannerTest {
    private static final LifecyclePolicy UNTAGGED_OLDER_THAN_A_DAY = policy(rule(1, "{\"tagStatus\":\"untagged\"," + pushed(1) + "}"));

    @Test
    void referrerChainsFollowTheirRootSubjectBothWays() {
        List<ImageFacts> images = List.of(
                image("kept", daysAgo(5), "v1"),
                image("sig-of-kept", daysAgo(5)),
                image("sig-of-sig", daysAgo(5)),
                image("gone", daysAgo(5)),
                image("sbom-of-gone", daysAgo(4), "sbom"), // tagged: no rule selects it on its own
                image("dangling", daysAgo(5)));            // its subject is not in the repository
        Map<String, String> subjects = Map.of("sig-of-kept", "kept", "sig-of-sig", "sig-of-kept",
                "sbom-of-gone", "gone", "dangling", "elsewhere");
        assertThat(LifecyclePlanner.plan(UNTAGGED_OLDER_THAN_A_DAY, images, subjects, null, NOW)).containsExactly(
                new Verdict("dangling", 1, EXPIRE), new Verdict("gone", 1, EXPIRE), new Verdict("sbom-of-gone", 1, EXPIRE));
    }

    @Test
    void anImagePulledWithinTheWindowStaysWithItsReferrersAndTheWindowIsInclusive() {
        List<ImageFacts> images = List.of(
                pulled("edge", NOW.minus(Duration.ofDays(7))),
                pulled("older", NOW.minus(Duration.ofDays(7)).minusMillis(1)),
                image("sig-of-edge", daysAgo(9)));
        Map<String, String> subjects = Map.of("sig-of-edge", "edge");
        assertThat(LifecyclePlanner.plan(UNTAGGED_OLDER_THAN_A_DAY, images, subjects, Duration.ofDays(7), NOW))
                .containsExactly(new Verdict("older", 1, EXPIRE));
        assertThat(LifecyclePlanner.plan(UNTAGGED_OLDER_THAN_A_DAY, images, subjects, null, NOW)).hasSize(3);
    }

    @Test
    void aLargeRepositoryIsPlannedWholeAndOldestFirst() {
        List<ImageFacts> images = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            images.add(image(String.format("d%06d", i), NOW.minusSeconds(100_000 - i), i % 2 == 0 ? new String[0]
                    : new String[] {"v" + i}));
        }
        LifecyclePolicy keepTen = policy(rule(1, "{\"tagStatus\":\"any\"," + count(10) + "}"));
        List<Verdict> plan = LifecyclePlanner.plan(keepTen, images, Map.of(), null, NOW);
        assertThat(plan).hasSize(99_990);
        assertThat(plan.getFirst().digest()).isEqualTo("d000000");
    }

    private static ImageFacts pulled(String digest, java.time.Instant at) {
        return new ImageFacts(digest, List.of(), daysAgo(30), at, StorageClass.STANDARD, null, false);
    }
}
