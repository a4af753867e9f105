package io.wharf.core.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a lifecycle run does to a repository, and what a preview reports: {@link LifecycleEvaluator}'s verdicts
 * with the protections that keep what must stay. Pure, like the evaluator: the preview and the run call it with
 * the same images and clock and so select the same images.
 *
 * <ul>
 *   <li>A child of an index is never acted on (the evaluator already refuses that).</li>
 *   <li>A referrer (an image whose {@code subject} is an image of the repository: a signature, an SBOM, an
 *       attestation) follows its subject: it stays while the subject stays, whatever the rules say of it, and
 *       goes with the subject, under the subject's rule, as ECR's referrers do. Chains are followed to the
 *       first image that is not a referrer of a present image.</li>
 *   <li>With {@code keepPulledWithin} set, an image pulled within that time of {@code now} stays, and so do
 *       its referrers.</li>
 * </ul>
 */
public final class LifecyclePlanner {

    private LifecyclePlanner() {}

    /**
     * @param subjects         digest → digest of its subject, for the images that have one
     * @param keepPulledWithin null: no protection by pull time
     * @return the verdicts to carry out, oldest image first (push time, then digest)
     */
    public static List<Verdict> plan(LifecyclePolicy policy, List<ImageFacts> images, Map<String, String> subjects,
                                     Duration keepPulledWithin, Instant now) {
        Objects.requireNonNull(subjects, "subjects");
        Map<String, ImageFacts> byDigest = images.stream()
                .collect(Collectors.toMap(ImageFacts::digest, Function.identity(), (a, b) -> a, HashMap::new));
        Instant pulledSince = keepPulledWithin == null ? null : now.minus(keepPulledWithin);
        Map<String, Verdict> evaluated = new HashMap<>();
        for (Verdict v : LifecycleEvaluator.evaluate(policy, images, now)) {
            evaluated.put(v.digest(), v);
        }
        List<Verdict> plan = new ArrayList<>();
        for (ImageFacts image : images) {
            ImageFacts root = root(image, subjects, byDigest);
            Verdict rootVerdict = evaluated.get(root.digest());
            if (rootVerdict == null || pulledWithin(root, pulledSince) || pulledWithin(image, pulledSince)
                    || image.referencedByIndex()) {
                continue;
            }
            plan.add(new Verdict(image.digest(), rootVerdict.rulePriority(), rootVerdict.action()));
        }
        plan.sort(Comparator.comparing((Verdict v) -> byDigest.get(v.digest()).pushedAt()).thenComparing(Verdict::digest));
        return plan;
    }

    /** The image whose fate {@code image} shares: itself, or the last present subject up its subject chain. */
    private static ImageFacts root(ImageFacts image, Map<String, String> subjects, Map<String, ImageFacts> byDigest) {
        ImageFacts current = image;
        Set<String> seen = new HashSet<>();
        while (seen.add(current.digest())) {
            ImageFacts subject = byDigest.get(subjects.get(current.digest()));
            if (subject == null) {
                return current;
            }
            current = subject;
        }
        return current; // a cycle cannot be built from content digests; stop rather than loop
    }

    private static boolean pulledWithin(ImageFacts image, Instant since) {
        return since != null && image.lastPulledAt() != null && !image.lastPulledAt().isBefore(since);
    }
}
