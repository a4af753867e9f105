package io.wharf.core.template;

import io.wharf.core.model.Encryption;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.TagMutabilityPolicy;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A repository creation template (ECR §3.8): what a repository the registry creates itself starts with. {@code prefix}
 * is {@link #ROOT} or a name prefix with an implied trailing {@code /}; {@code repositoryPolicy} and
 * {@code lifecyclePolicy} are stored texts or null; {@code customRoleArn} is recorded only (Wharf assumes no roles).
 */
public record CreationTemplate(String prefix, String description, Encryption encryption,
                               SortedMap<String, String> resourceTags, TagMutabilityPolicy tagMutability,
                               String repositoryPolicy, String lifecyclePolicy, Set<AppliedFor> appliedFor,
                               String customRoleArn, Instant createdAt, Instant updatedAt) {
    /** The fallback template: applies to every name no more specific prefix matches. */
    public static final String ROOT = "ROOT";

    public CreationTemplate {
        Objects.requireNonNull(prefix, "prefix");
        encryption = encryption == null ? Encryption.AES256 : encryption;
        resourceTags = Collections.unmodifiableSortedMap(new TreeMap<>(resourceTags == null ? java.util.Map.of() : resourceTags));
        tagMutability = tagMutability == null ? TagMutabilityPolicy.MUTABLE : tagMutability;
        appliedFor = appliedFor == null || appliedFor.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(appliedFor));
    }

    public boolean isRoot() {
        return ROOT.equals(prefix);
    }

    /** How specific the template is: ROOT 0, else the prefix's length (longest wins). */
    public int specificity() {
        return isRoot() ? 0 : stem().length();
    }

    /** Whether the template covers {@code name}: ROOT covers every name, {@code prod} covers {@code prod/...}. */
    public boolean covers(RepositoryName name) {
        return isRoot() || name.value().startsWith(stem() + "/");
    }

    private String stem() {
        return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    public CreationTemplate withTimes(Instant created, Instant updated) {
        return new CreationTemplate(prefix, description, encryption, resourceTags, tagMutability, repositoryPolicy,
                lifecyclePolicy, appliedFor, customRoleArn, created, updated);
    }
}
