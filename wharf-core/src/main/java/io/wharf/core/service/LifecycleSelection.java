package io.wharf.core.service;

import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.lifecycle.ImageFacts;
import io.wharf.core.lifecycle.LifecyclePlanner;
import io.wharf.core.lifecycle.LifecyclePolicy;
import io.wharf.core.lifecycle.StorageClass;
import io.wharf.core.lifecycle.Verdict;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.ImageSummary;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a lifecycle policy selects in a repository now: the one computation behind both the preview and the run.
 * It reads the image list once, in keyset pages and without the manifests' bytes, plus the repository's index
 * children in one query: no query per image.
 */
final class LifecycleSelection {
    /**
     * The repository's resource tag that asks for images pulled within the given days to be kept, e.g.
     * {@code 30d}. A Wharf setting beyond ECR: ECR's policy grammar refuses unknown fields, so it cannot live there.
     */
    static final String KEEP_PULLED_WITHIN_TAG = "wharf:keep-pulled-within";
    private static final Pattern DAYS = Pattern.compile("([0-9]{1,5})d");
    private static final int PAGE = 1000;

    /** The images of the repository, by digest, as the evaluator saw them; and the verdicts, oldest first. */
    record Selected(Map<String, ImageFacts> images, List<Verdict> verdicts) {}

    private LifecycleSelection() {}

    static Selected select(MetadataStore meta, Repository repo, LifecyclePolicy policy, Instant now) {
        Duration keep = keepPulledWithin(meta.resourceTags(repo.id()).get(KEEP_PULLED_WITHIN_TAG));
        Set<Digest> children = meta.indexChildren(repo.id());
        Map<String, String> subjects = new HashMap<>();
        Map<String, ImageFacts> facts = new LinkedHashMap<>();
        Digest after = null;
        for (List<ImageSummary> page; !(page = meta.summarizeImages(repo.id(), after, PAGE)).isEmpty(); ) {
            for (ImageSummary image : page) {
                String digest = image.digest().toString();
                if (image.subject() != null) {
                    subjects.put(digest, image.subject().toString());
                }
                facts.put(digest, new ImageFacts(digest, image.tags().stream().map(Tag::value).toList(), image.pushedAt(),
                        image.lastPulledAt(), StorageClass.STANDARD, null, children.contains(image.digest())));
            }
            after = page.getLast().digest();
        }
        return new Selected(facts, LifecyclePlanner.plan(policy, List.copyOf(facts.values()), subjects, keep, now));
    }

    /** The {@value #KEEP_PULLED_WITHIN_TAG} value as a duration; null when unset. */
    static Duration keepPulledWithin(String value) {
        if (value == null) {
            return null;
        }
        Matcher days = DAYS.matcher(value);
        if (!days.matches()) {
            throw new ParameterInvalidException("The resource tag '" + KEEP_PULLED_WITHIN_TAG + "' must be a number of"
                    + " days such as '30d', not '" + value + "'", value);
        }
        return Duration.ofDays(Integer.parseInt(days.group(1)));
    }
}
