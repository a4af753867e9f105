package io.wharf.core.template;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.model.Encryption;
import io.wharf.core.model.TagFilter;
import io.wharf.core.model.TagMutability;
import io.wharf.core.model.TagMutabilityPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

/**
 * A template's content as the stores keep it: one JSON text beside the prefix and times, so a new template
 * field needs no schema change. Unknown members are ignored, so an older node reads a newer row.
 */
public final class TemplateJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private record Body(String description, String encryptionType, String kmsKey, SortedMap<String, String> resourceTags,
                        String tagMutability, List<String> exclusions, String repositoryPolicy, String lifecyclePolicy,
                        Set<AppliedFor> appliedFor, String customRoleArn) {
    }

    private TemplateJson() {
    }

    public static String write(CreationTemplate t) {
        Body body = new Body(t.description(), t.encryption().type().name(), t.encryption().kmsKey(), t.resourceTags(),
                t.tagMutability().mode().name(), t.tagMutability().exclusions().stream().map(TagFilter::value).toList(),
                t.repositoryPolicy(), t.lifecyclePolicy(), t.appliedFor(), t.customRoleArn());
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the template " + t.prefix(), e);
        }
    }

    public static CreationTemplate read(String prefix, String json, Instant createdAt, Instant updatedAt) {
        Body b;
        try {
            b = JSON.readValue(json, Body.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored template " + prefix + " is not readable", e);
        }
        Encryption encryption = new Encryption(Encryption.Type.valueOf(b.encryptionType()), b.kmsKey());
        List<TagFilter> filters = b.exclusions() == null ? List.of() : b.exclusions().stream().map(TagFilter::new).toList();
        TagMutabilityPolicy mutability = new TagMutabilityPolicy(TagMutability.valueOf(b.tagMutability()), filters);
        return new CreationTemplate(prefix, b.description(), encryption, b.resourceTags(), mutability,
                b.repositoryPolicy(), b.lifecyclePolicy(), b.appliedFor(), b.customRoleArn(), createdAt, updatedAt);
    }
}
