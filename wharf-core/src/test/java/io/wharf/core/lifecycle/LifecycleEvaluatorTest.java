package io.wharf.core.lifecycle;

import static io.wharf.core.lifecycle.ActionType.EXPIRE;
import static io.wharf.core.lifecycle.ActionType.TRANSITION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Evaluation scenarios. The first ones are the AWS user guide's worked examples, image for image; the rest pin
 * down one rule of §3.5 each. Images are named by their digest ("A", "B", ...) to read like the guide.
 */
class LifecycleEvaluatorTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final String EXPIRE_ACTION = "{\"type\":\"expire\"}";
    static final String ARCHIVE_ACTION = "{\"type\":\"transition\",\"targetStorageClass\":\"archive\"}";

    @Test
    void awsWorkedExampleExpiresABAndD() {
        LifecyclePolicy policy = policy(
                rule(1, "{\"tagStatus\":\"tagged\",\"tagPatternList\":[\"alpha*\"]," + count(1) + "}"),
                rule(2, "{\"tagStatus\":\"untagged\"," + pushed(1) + "}"),
                rule(3, "{\"tagStatus\":\"any\"," + count(1) + "}"));
        List<ImageFacts> images = List.of(
                image("A", daysAgo(4), "alpha-1", "beta-1"),
                image("B", daysAgo(3)),
                image("C", daysAgo(2), "alpha-2"),
                image("D", daysAgo(1), "git hash"),
                image("E", daysAgo(1)));
        // Rule 3 counts all five and keeps E (the newest; D and E tie on time, the digest breaks the tie), but
        // may only act on D: A and C belong to rule 1, B and E to rule 2.
        assertThat(LifecycleEvaluator.evaluate(policy, images, NOW)).containsExactly(
                new Verdict("A", 1, EXPIRE), new Verdict("B", 2, EXPIRE), new Verdict("D", 3, EXPIRE));
    }

    @Test
    void awsMultipleRulesExampleA() {
        LifecyclePolicy policy = policy(
                rule(1, "{\"tagStatus\":\"tagged\",\"tagPatternList\":[\"prod*\"]," + count(1) + "}"),
                rule(2, "{\"tagStatus\":\"tagged\",\"tagPatternList\":[\"beta*\"]," + count(1) + "}"));
        // Rule 2 would take A and B, but both match rule 1's tags; B is shielded although rule 1 keeps it.
        assertThat(LifecycleEvaluator.evaluate(policy, betaProd(), NOW)).containsExactly(new Verdict("A", 1, EXPIRE));
    }

    @Test
    void awsMultipleRulesExampleB() {
        LifecyclePolicy policy = policy(
                rule(1, "{\"tagStatus\":\"tagged\",\"tagPatternList\":[\"beta*\"]," + count(1) + "}"),
                rule(2, "{\"tagStatus\":\"tagged\",\"tagPatternList\":[\"prod*\"]," + count(1) + "}"));
        assertThat(LifecycleEvaluator.evaluate(policy, betaProd(), NOW))
                .containsExactly(new Verdict("A", 1, EXPIRE), new Verdict("B", 1, EXPIRE));
    }

    @Test
    void everyPatternMustMatchSomeTag() {
        LifecyclePolicy policy = policy(rule(1,
                "{\"tagStatus\":\"tagged\",\"tagPatternList\":[\"alpha*\",\"beta*\"]," + pushed(5) + "}"));
        List<ImageFacts> images = List.of(
                image("A", daysAgo(12), "alpha-1"), image("B", daysAgo(11), "beta-1"),
                image("C", daysAgo(10), "alpha-2", "beta-2"), image("D", daysAgo(4), "alpha-3"),
                image("E", daysAgo(3), "beta-3"), image("F", daysAgo(2), "alpha-4", "beta-4"));
        assertThat(digests(LifecycleEvaluator.evaluate(policy, images, NOW))).containsExactly("C");
    }

    @Test
    void tagsAreNotExclusive() {
        LifecyclePolicy policy = policy(rule(1,
                "{\"tagStatus\":\"tagged\",\"tagPatternList\":[\"alpha*\",\"beta*\"]," + count(1) + "}"));
        List<ImageFacts> images = List.of(
                image("A", daysAgo(10), "alpha-1", "beta-1", "gamma-1"), image("B", daysAgo(9), "alpha-2", "beta-2"),
                image("C", daysAgo(8), "alpha-3", "beta-3", "gamma-2"));
        assertThat(digests(LifecycleEvaluator.evaluate(policy, images, NOW))).containsExactly("A", "B");
    }

    @Test
    void anyRuleKeepsOnlyTheNewestImage() {
        LifecyclePolicy policy = policy(rule(1, "{\"tagStatus\":\"any\"," + count(1) + "}"));
        List<ImageFacts> images = List.of(image("A", daysAgo(4), "alpha-1"), image("B", daysAgo(3), "beta-1"),
                image("C", daysAgo(2)), image("D", daysAgo(1), "alpha-2"));
        assertThat(digests(LifecycleEvaluator.evaluate(policy, images, NOW))).containsExactly("A", "B", "C");
    }

    @Test
    void prefixesAreStartsWithAndPatternsMatchTheWholeTag() {
        List<ImageFacts> images = List.of(image("prod", daysAgo(9), "prod"), image("prod1", daysAgo(8), "prod1"),
                image("repo-prod", daysAgo(7), "repo-prod"), image("PROD", daysAgo(6), "PROD"));
        String old = pushed(1) + "}";
        assertThat(expired(policy(rule(1, "{\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"prod\"]," + old)), images))
                .containsExactly("prod", "prod1");
        assertThat(expired(policy(rule(1, "{\"tagStatus\":\"tagged\",\"tagPatternList\":[\"prod\"]," + old)), images))
                .containsExactly("prod");
        assertThat(expired(policy(rule(1, "{\"tagStatus\":\"tagged\",\"tagPatternList\":[\"*prod*\"]," + old)), images))
                .containsExactly("prod", "prod1", "repo-prod");
    }

    @Test
    void anImageMustBeStrictlyOlderThanTheLimit() {
        LifecyclePolicy policy = policy(rule(1, "{\"tagStatus\":\"any\"," + pushed(14) + "}"));
        Instant limit = NOW.minus(Duration.ofDays(14));
        List<ImageFacts> images = List.of(image("exactly", limit), image("older", limit.minusMillis(1)),
                image("younger", limit.plusMillis(1)));
        assertThat(expired(policy, images)).containsExactly("older");
    }

    @Test
    void sinceImagePulledFallsBackToRestoreThenPush() {
        LifecyclePolicy policy = policy(rule(1, "{\"tagStatus\":\"any\",\"countType\":\"sinceImagePulled\","
                + "\"countUnit\":\"days\",\"countNumber\":30}", ARCHIVE_ACTION));
        List<ImageFacts> images = List.of(
                pulled(image("recently-pulled", daysAgo(60)), daysAgo(5)),
                image("never-pulled", daysAgo(60)),
                image("never-pulled-young", daysAgo(10)),
                restored(pulled(image("restored-not-pulled-since", daysAgo(120)), daysAgo(90)), daysAgo(60)),
                restored(pulled(image("restored-lately", daysAgo(120)), daysAgo(90)), daysAgo(3)));
        assertThat(LifecycleEvaluator.evaluate(policy, images, NOW)).containsExactly(
                new Verdict("restored-not-pulled-since", 1, TRANSITION), new Verdict("never-pulled", 1, TRANSITION));
    }

    @Test
    void sinceImageTransitionedCountsDaysInArchive() {
        LifecyclePolicy policy = policy(rule(1, "{\"tagStatus\":\"any\",\"storageClass\":\"archive\","
                + "\"countType\":\"sinceImageTransitioned\",\"countUnit\":\"days\",\"countNumber\":90}"));
        List<ImageFacts> images = List.of(
                archived(image("archived-long-ago", daysAgo(1)), daysAgo(100)),
                archived(image("archived-lately", daysAgo(400)), daysAgo(50)),
                archived(image("archive-time-unknown", daysAgo(400)), null),
                image("standard-and-old", daysAgo(400)));
        assertThat(expired(policy, images)).containsExactly("archived-long-ago");
    }

    @Test
    void storageClassesAreEvaluatedSeparately() {
        // The first rule matches every tag, but it selects standard images only: archived ones belong to rule 2.
        LifecyclePolicy policy = policy(
                rule(1, "{\"tagStatus\":\"any\"," + pushed(30) + "}", ARCHIVE_ACTION),
                rule(2, "{\"tagStatus\":\"any\",\"storageClass\":\"archive\",\"countType\":\"sinceImageTransitioned\","
                        + "\"countUnit\":\"days\",\"countNumber\":365}"));
        List<ImageFacts> images = List.of(image("standard-old", daysAgo(40), "v1"),
                image("standard-new", daysAgo(2), "v2"), archived(image("archived-old", daysAgo(800), "v0"), daysAgo(400)));
        assertThat(LifecycleEvaluator.evaluate(policy, images, NOW)).containsExactly(
                new Verdict("archived-old", 2, EXPIRE), new Verdict("standard-old", 1, TRANSITION));
    }

    @Test
    void imagesReferencedByAnIndexCountButAreNeverActedOn() {
        LifecyclePolicy policy = policy(rule(1, "{\"tagStatus\":\"any\"," + count(2) + "}"));
        List<ImageFacts> images = List.of(image("index", daysAgo(1), "latest"),
                referenced(image("child-amd64", daysAgo(1))), referenced(image("child-arm64", daysAgo(1))),
                image("plain", daysAgo(5), "old"));
        // The two children count (plain is beyond the newest two) but only plain is expired.
        assertThat(expired(policy, images)).containsExactly("plain");
    }

    @Test
    void verdictsComeOldestFirstWhicheverRuleGaveThem() {
        LifecyclePolicy policy = policy(
                rule(1, "{\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"ci-\"]," + pushed(3) + "}"),
                rule(2, "{\"tagStatus\":\"untagged\"," + pushed(3) + "}"),
                rule(3, "{\"tagStatus\":\"any\"," + count(1) + "}"));
        List<ImageFacts> images = List.of(image("ci-new", daysAgo(4), "ci-2"), image("untagged", daysAgo(6)),
                image("ci-old", daysAgo(8), "ci-1"), image("release-old", daysAgo(7), "v1"), image("release", daysAgo(0), "v2"));
        assertThat(LifecycleEvaluator.evaluate(policy, images, NOW)).containsExactly(new Verdict("ci-old", 1, EXPIRE),
                new Verdict("release-old", 3, EXPIRE), new Verdict("untagged", 2, EXPIRE), new Verdict("ci-new", 1, EXPIRE));
    }

    @Test
    void aRestoredImageCountsAsNew() {
        LifecyclePolicy policy = policy(rule(1, "{\"tagStatus\":\"any\"," + count(1) + "}"));
        List<ImageFacts> images = List.of(restored(image("restored", daysAgo(100)), daysAgo(1)),
                image("pushed-lately", daysAgo(10)));
        assertThat(expired(policy, images)).containsExactly("pushed-lately");
    }

    @Test
    void aMatchingHigherRuleShieldsImagesItDoesNotSelect() {
        LifecyclePolicy policy = policy(
                rule(1, "{\"tagStatus\":\"tagged\",\"tagPatternList\":[\"prod-*\"]," + pushed(365) + "}"),
                rule(2, "{\"tagStatus\":\"any\"," + count(1) + "}"));
        List<ImageFacts> images = List.of(image("prod-old", daysAgo(300), "prod-1"), image("dev-old", daysAgo(200), "dev-1"),
                image("prod-new", daysAgo(2), "prod-2"), image("dev-new", daysAgo(1), "dev-2"));
        assertThat(expired(policy, images)).containsExactly("dev-old");
    }

    @Test
    void taggedAndUntaggedRulesSeeOnlyTheirOwnImages() {
        LifecyclePolicy policy = policy(
                rule(1, "{\"tagStatus\":\"untagged\"," + count(1) + "}"),
                rule(2, "{\"tagStatus\":\"tagged\",\"tagPatternList\":[\"*\"]," + count(1) + "}"));
        List<ImageFacts> images = List.of(image("u1", daysAgo(9)), image("t1", daysAgo(8), "a"),
                image("u2", daysAgo(7)), image("t2", daysAgo(6), "b"));
        assertThat(LifecycleEvaluator.evaluate(policy, images, NOW))
                .containsExactly(new Verdict("u1", 1, EXPIRE), new Verdict("t1", 2, EXPIRE));
    }

    @Test
    void nothingToDoGivesNoVerdicts() {
        LifecyclePolicy policy = policy(rule(1, "{\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"v\"]," + count(1) + "}"));
        assertThat(LifecycleEvaluator.evaluate(policy, List.of(), NOW)).isEmpty();
        assertThat(LifecycleEvaluator.evaluate(policy, List.of(image("x", daysAgo(9), "other"), image("y", daysAgo(8)),
                image("v1", daysAgo(1), "v1")), NOW)).isEmpty();
    }

    @Test
    void theSameDigestTwiceIsAProgrammingError() {
        LifecyclePolicy policy = policy(rule(1, "{\"tagStatus\":\"any\"," + count(1) + "}"));
        assertThatThrownBy(() -> LifecycleEvaluator.evaluate(policy,
                List.of(image("A", daysAgo(2)), image("A", daysAgo(1), "x")), NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A is listed twice");
    }

    @Test
    void theResultDoesNotDependOnInputOrderAndTheInputIsLeftAlone() {
        LifecyclePolicy policy = policy(rule(1, "{\"tagStatus\":\"any\"," + count(3) + "}"));
        List<ImageFacts> images = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            images.add(image("img-" + (char) ('a' + i), daysAgo(i % 4))); // many ties on push time
        }
        List<ImageFacts> before = List.copyOf(images);
        List<Verdict> expected = LifecycleEvaluator.evaluate(policy, images, NOW);
        assertThat(images).isEqualTo(before);
        assertThat(expected).hasSize(17);
        Collections.shuffle(images, new Random(42));
        assertThat(LifecycleEvaluator.evaluate(policy, images, NOW)).isEqualTo(expected);
    }

    // ---- helpers: the repository of the guide's "multiple rules" examples, policies and images in few words

    static List<ImageFacts> betaProd() {
        return List.of(image("A", daysAgo(10), "beta-1", "prod-1"), image("B", daysAgo(9), "beta-2", "prod-2"),
                image("C", daysAgo(8), "beta-3"));
    }

    static LifecyclePolicy policy(String... rules) {
        return LifecyclePolicy.parse("{\"rules\":[" + String.join(",", rules) + "]}");
    }

    static String rule(int priority, String selection) {
        return rule(priority, selection, EXPIRE_ACTION);
    }

    static String rule(int priority, String selection, String action) {
        return "{\"rulePriority\":" + priority + ",\"selection\":" + selection + ",\"action\":" + action + "}";
    }

    static String count(int n) {
        return "\"countType\":\"imageCountMoreThan\",\"countNumber\":" + n;
    }

    static String pushed(int days) {
        return "\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":" + days;
    }

    static Instant daysAgo(int days) {
        return NOW.minus(Duration.ofDays(days));
    }

    static ImageFacts image(String digest, Instant pushedAt, String... tags) {
        return new ImageFacts(digest, List.of(tags), pushedAt, null, StorageClass.STANDARD, null, false);
    }

    static ImageFacts pulled(ImageFacts i, Instant at) {
        return new ImageFacts(i.digest(), i.tags(), i.pushedAt(), at, i.storageClass(), i.transitionedAt(),
                i.referencedByIndex(), i.lastActivatedAt());
    }

    static ImageFacts archived(ImageFacts i, Instant at) {
        return new ImageFacts(i.digest(), i.tags(), i.pushedAt(), i.lastPulledAt(), StorageClass.ARCHIVE, at,
                i.referencedByIndex(), i.lastActivatedAt());
    }

    static ImageFacts restored(ImageFacts i, Instant at) {
        return new ImageFacts(i.digest(), i.tags(), i.pushedAt(), i.lastPulledAt(), StorageClass.STANDARD,
                i.transitionedAt(), i.referencedByIndex(), at);
    }

    static ImageFacts referenced(ImageFacts i) {
        return new ImageFacts(i.digest(), i.tags(), i.pushedAt(), i.lastPulledAt(), i.storageClass(),
                i.transitionedAt(), true, i.lastActivatedAt());
    }

    static List<String> digests(List<Verdict> verdicts) {
        return verdicts.stream().map(Verdict::digest).toList();
    }

    static List<String> expired(LifecyclePolicy policy, List<ImageFacts> images) {
        return digests(LifecycleEvaluator.evaluate(policy, images, NOW));
    }
}
