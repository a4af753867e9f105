package io.wharf.core.lifecycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * ECR's lifecycle evaluation as a pure function, so that StartLifecyclePolicyPreview and the lifecycle runner
 * cannot disagree: same policy, images and clock, same verdicts.
 *
 * <ol>
 *   <li>Every rule computes its candidates from <em>all</em> images its storage class and tag selection match.</li>
 *   <li>Each image belongs to the first rule (lowest priority number) whose storage class and tag selection match
 *       it, whether or not that rule selects it by count or age. A rule acts only on candidates it owns, so an
 *       image is acted on by at most one rule, and an image shielded by a higher rule still counts toward a lower
 *       rule's {@code imageCountMoreThan}.</li>
 *   <li>Images referenced by an index are counted but never acted on (they must outlive the index).</li>
 *   <li>Verdicts come oldest first (push time, then digest), the order ECR carries them out in.</li>
 * </ol>
 */
public final class LifecycleEvaluator {

    // Oldest first; equal times are ordered by digest so that results never depend on input order.
    private static final Comparator<ImageFacts> BY_PUSH = Comparator.comparing(ImageFacts::pushedAt)
            .thenComparing(ImageFacts::digest);
    private static final Comparator<ImageFacts> BY_COUNT_TIME = Comparator.comparing(LifecycleEvaluator::countTime)
            .thenComparing(ImageFacts::digest);

    private LifecycleEvaluator() {}

    /** What {@code policy} would do to {@code images} at {@code now}, oldest image first. */
    public static List<Verdict> evaluate(LifecyclePolicy policy, List<ImageFacts> images, Instant now) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(now, "now");
        requireDistinctDigests(images);
        List<CompiledRule> rules = policy.rules().stream().map(r -> CompiledRule.of(r, images)).toList();
        Map<String, Integer> owners = owners(rules);
        List<Acted> acted = new ArrayList<>();
        for (CompiledRule rule : rules) {
            candidates(rule, now)
                    .filter(image -> owners.get(image.digest()) == rule.priority() && !image.referencedByIndex())
                    .forEach(image -> acted.add(new Acted(image, rule.verdict(image))));
        }
        return acted.stream().sorted(Comparator.comparing(Acted::image, BY_PUSH)).map(Acted::verdict).toList();
    }

    private static void requireDistinctDigests(List<ImageFacts> images) {
        Set<String> seen = new HashSet<>();
        for (ImageFacts image : images) {
            if (!seen.add(image.digest())) {
                throw new IllegalArgumentException("image " + image.digest() + " is listed twice");
            }
        }
    }

    /**
     * Digest → priority of the rule the image belongs to: the first rule, in priority order, that matches it.
     * Images no rule matches are absent; every candidate of a rule is matched by it, so it is never absent.
     */
    private static Map<String, Integer> owners(List<CompiledRule> rules) {
        Map<String, Integer> owners = new HashMap<>();
        for (CompiledRule rule : rules) {
            rule.matched().forEach(image -> owners.putIfAbsent(image.digest(), rule.priority()));
        }
        return owners;
    }

    private static Stream<ImageFacts> candidates(CompiledRule rule, Instant now) {
        Selection s = rule.selection();
        List<ImageFacts> matched = rule.matched();
        if (s.countType() == CountType.IMAGE_COUNT_MORE_THAN) {
            // Newest first; everything after the first countNumber images is over the limit.
            return matched.stream().sorted(BY_COUNT_TIME.reversed()).skip(s.countNumber());
        }
        Instant cutoff = now.minus(s.ageLimit().orElseThrow());
        return matched.stream().filter(image -> {
            Instant since = ageSince(s.countType(), image);
            return since != null && since.isBefore(cutoff); // strictly older than the limit
        });
    }

    /** The instant an age-based count type measures from; null when it does not apply to the image. */
    private static Instant ageSince(CountType countType, ImageFacts image) {
        return switch (countType) {
            case SINCE_IMAGE_PUSHED -> image.pushedAt();
            // The last pull; the push if never pulled; the restore if restored and not pulled since: the latest.
            case SINCE_IMAGE_PULLED -> latest(image.pushedAt(), image.lastPulledAt(), image.lastActivatedAt());
            case SINCE_IMAGE_TRANSITIONED -> image.transitionedAt();
            case IMAGE_COUNT_MORE_THAN -> throw new IllegalArgumentException("imageCountMoreThan counts images, not days");
        };
    }

    /**
     * Recency for {@code imageCountMoreThan}: the push, or the restore from archive if later (a restored image
     * is as good as a new one; otherwise a count rule would expire it the moment it came back).
     */
    private static Instant countTime(ImageFacts image) {
        return latest(image.pushedAt(), image.lastActivatedAt());
    }

    /** The latest of {@code first} and the non-null {@code others}. */
    private static Instant latest(Instant first, Instant... others) {
        Instant latest = first;
        for (Instant other : others) {
            if (other != null && other.isAfter(latest)) {
                latest = other;
            }
        }
        return latest;
    }

    private record Acted(ImageFacts image, Verdict verdict) {}

    /** A rule with the images its storage class and tag selection match (all of them, in input order). */
    private record CompiledRule(Rule rule, List<ImageFacts> matched) {

        static CompiledRule of(Rule rule, List<ImageFacts> images) {
            Selection selection = rule.selection();
            TagSelector tags = new TagSelector(selection);
            return new CompiledRule(rule, images.stream()
                    .filter(image -> image.storageClass() == selection.storageClass() && tags.matches(image.tags()))
                    .toList());
        }

        int priority() {
            return rule.priority();
        }

        Selection selection() {
            return rule.selection();
        }

        Verdict verdict(ImageFacts image) {
            return new Verdict(image.digest(), rule.priority(), rule.action().type());
        }
    }
}
