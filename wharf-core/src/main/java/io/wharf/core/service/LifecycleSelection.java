package io.wharf.core.service;

import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.lifecycle.ImageFacts;
import io.wharf.core.lifecycle.LifecyclePlanner;
import io.wharf.core.lifecycle.LifecyclePolicy;
import io.wharf.core.lifecycle.StorageClass;
import io.wharf.core.lifecycle.Verdict;
import io.wharf.core.model.Digest;
import io.wharf.core.model.ManifestParser;
import io.wharf.core.model.MediaTypes;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.ImageRecord;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.StoredManifest;
import io.wharf.core.spi.TagStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a lifecycle policy selects in a repository now: the one computation behind both the preview and the run.
 * It reads the image list once, in keyset pages, and makes no query per image.
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
        Map<String, String> subjects = new HashMap<>();
        Set<String> children = new HashSet<>();
        List<ImageRecord> records = new ArrayList<>();
        Digest after = null;
        for (List<ImageRecord> page; !(page = meta.listImages(repo.id(), TagStatus.ANY, after, PAGE)).isEmpty(); ) {
            for (ImageRecord image : page) {
                StoredManifest m = image.manifest();
                if (m.subject() != null) {
                    subjects.put(m.digest().toString(), m.subject().toString());
                }
                if (MediaTypes.isIndex(m.mediaType()) && m.intact()) {
                    ManifestParser.parseStored(m.mediaType(), m.content()).manifests()
                            .forEach(child -> children.add(child.digest().toString()));
                }
                records.add(new ImageRecord(stripped(m), image.tags()));
            }
            after = page.getLast().manifest().digest();
        }
        Map<String, ImageFacts> facts = new LinkedHashMap<>();
        for (ImageRecord image : records) {
            ImageFacts f = facts(image, children);
            facts.put(f.digest(), f);
        }
        List<ImageFacts> list = List.copyOf(facts.values());
        return new Selected(facts, LifecyclePlanner.plan(policy, list, subjects, keep, now));
    }

    /** The bookkeeping without the bytes, so that a large repository's manifests are not all held at once. */
    private static StoredManifest stripped(StoredManifest m) {
        return new StoredManifest(m.digest(), m.mediaType(), m.artifactType(), m.subject(), new byte[0], m.pushedAt(),
                m.lastPulledAt(), m.intact());
    }

    private static ImageFacts facts(ImageRecord image, Set<String> children) {
        StoredManifest m = image.manifest();
        String digest = m.digest().toString();
        return new ImageFacts(digest, image.tags().stream().map(Tag::value).toList(), m.pushedAt(), m.lastPulledAt(),
                StorageClass.STANDARD, null, children.contains(digest));
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
