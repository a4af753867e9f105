package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrOperation.registry;

import io.wharf.core.model.Encryption;
import io.wharf.core.model.TagMutability;
import io.wharf.core.model.TagMutabilityPolicy;
import io.wharf.core.template.AppliedFor;
import io.wharf.core.template.CreationTemplate;
import io.wharf.core.template.TemplateService;
import io.wharf.server.ecr.Shapes.EncryptionShape;
import io.wharf.server.ecr.Shapes.FilterShape;
import io.wharf.server.ecr.Shapes.TagShape;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Create/Describe/Update/DeleteRepositoryCreationTemplate(s): the wire shapes around {@link TemplateService}. */
final class TemplateOperations {
    private final TemplateService templates;
    private final java.util.function.Predicate<Encryption> keyKnown;

    /** @param keyKnown whether an encryption setting can be applied (its KMS key is in Wharf's key store) */
    TemplateOperations(TemplateService templates, java.util.function.Predicate<Encryption> keyKnown) {
        this.templates = templates;
        this.keyKnown = keyKnown;
    }

    List<EcrOperation<?>> operations() {
        return List.of(
                registry("CreateRepositoryCreationTemplate", TemplateRequest.class, this::create),
                registry("DescribeRepositoryCreationTemplates", DescribeRequest.class, this::describe),
                registry("UpdateRepositoryCreationTemplate", TemplateRequest.class, this::update),
                registry("DeleteRepositoryCreationTemplate", PrefixRequest.class, this::delete));
    }

    /** Create and Update take the same members; Update keeps what it does not mention. */
    record TemplateRequest(String prefix, String description, EncryptionShape encryptionConfiguration,
                           List<TagShape> resourceTags, String imageTagMutability,
                           List<FilterShape> imageTagMutabilityExclusionFilters, String repositoryPolicy,
                           String lifecyclePolicy, List<String> appliedFor, String customRoleArn) implements EcrRequest {
    }

    record PrefixRequest(String prefix) implements EcrRequest {
    }

    record DescribeRequest(List<String> prefixes, String nextToken, Integer maxResults) implements EcrRequest {
    }

    record TemplateShape(String prefix, String description, EncryptionShape encryptionConfiguration,
                         List<TagShape> resourceTags, String imageTagMutability,
                         List<FilterShape> imageTagMutabilityExclusionFilters, String repositoryPolicy,
                         String lifecyclePolicy, List<String> appliedFor, String customRoleArn, Instant createdAt,
                         Instant updatedAt) {
        static TemplateShape of(CreationTemplate t) {
            List<TagShape> tags = t.resourceTags().entrySet().stream().map(e -> new TagShape(e.getKey(), e.getValue())).toList();
            List<FilterShape> filters = t.tagMutability().exclusions().isEmpty() ? null
                    : t.tagMutability().exclusions().stream().map(FilterShape::of).toList();
            return new TemplateShape(t.prefix(), t.description(), EncryptionShape.of(t.encryption()), tags,
                    t.tagMutability().mode().name(), filters, t.repositoryPolicy(), t.lifecyclePolicy(),
                    t.appliedFor().stream().map(Enum::name).toList(), t.customRoleArn(), t.createdAt(), t.updatedAt());
        }
    }

    record TemplateResponse(String registryId, TemplateShape repositoryCreationTemplate) {
    }

    record DescribeResponse(String registryId, List<TemplateShape> repositoryCreationTemplates, String nextToken) {
    }

    private TemplateResponse create(EcrCall call, TemplateRequest req) {
        String prefix = Check.length("prefix", Check.required("prefix", req.prefix()), 1, 256);
        Check.required("appliedFor", req.appliedFor());
        CreationTemplate blank = new CreationTemplate(prefix, null, null, null, null, null, null, null, null, null, null);
        return response(call, templates.create(call.account(), merge(blank, req)));
    }

    private TemplateResponse update(EcrCall call, TemplateRequest req) {
        String prefix = Check.length("prefix", Check.required("prefix", req.prefix()), 1, 256);
        return response(call, templates.update(call.account(), prefix, old -> merge(old, req)));
    }

    private TemplateResponse delete(EcrCall call, PrefixRequest req) {
        String prefix = Check.length("prefix", Check.required("prefix", req.prefix()), 1, 256);
        return response(call, templates.delete(call.account(), prefix));
    }

    /** Named prefixes that exist (a missing one is just absent, as in ECR), or a page of all by prefix. */
    private DescribeResponse describe(EcrCall call, DescribeRequest req) {
        Check.noPagingWith("prefixes", req.prefixes(), req.nextToken(), req.maxResults());
        if (req.prefixes() != null) {
            Check.size("prefixes", req.prefixes(), 1, 100);
            List<TemplateShape> found = req.prefixes().stream().distinct()
                    .flatMap(p -> templates.find(call.account(), p).stream()).map(TemplateShape::of).toList();
            return new DescribeResponse(call.account(), found, null);
        }
        int size = Check.maxResults(req.maxResults(), 1000);
        String scope = PageToken.scope("DescribeRepositoryCreationTemplates", call.account());
        List<CreationTemplate> page = templates.page(call.account(), PageToken.decode(scope, req.nextToken()), size + 1);
        String next = page.size() > size ? PageToken.encode(scope, page.get(size - 1).prefix()) : null;
        List<TemplateShape> shapes = page.stream().limit(size).map(TemplateShape::of).toList();
        return new DescribeResponse(call.account(), shapes, next);
    }

    private static TemplateResponse response(EcrCall call, CreationTemplate t) {
        return new TemplateResponse(call.account(), TemplateShape.of(t));
    }

    /** {@code old} with every member the request carries replaced (empty texts clear a policy). */
    private CreationTemplate merge(CreationTemplate old, TemplateRequest req) {
        Encryption encryption = req.encryptionConfiguration() == null ? old.encryption() : encryption(req.encryptionConfiguration());
        Map<String, String> tags = req.resourceTags() == null ? old.resourceTags() : new TreeMap<>(ResourceTags.parse(req.resourceTags()));
        TagMutabilityPolicy mutability = req.imageTagMutability() == null && req.imageTagMutabilityExclusionFilters() == null
                ? old.tagMutability() : RepositoryOperations.mutability(req.imageTagMutability(),
                        req.imageTagMutabilityExclusionFilters(), TagMutability.MUTABLE);
        Set<AppliedFor> appliedFor = req.appliedFor() == null ? old.appliedFor() : appliedFor(req.appliedFor());
        return new CreationTemplate(old.prefix(), pick(req.description(), old.description()), encryption,
                new TreeMap<>(tags), mutability, pick(req.repositoryPolicy(), old.repositoryPolicy()),
                pick(req.lifecyclePolicy(), old.lifecyclePolicy()), appliedFor, pick(req.customRoleArn(), old.customRoleArn()),
                old.createdAt(), old.updatedAt());
    }

    private static String pick(String given, String old) {
        if (given == null) {
            return old;
        }
        return given.isEmpty() ? null : given;
    }

    private static Set<AppliedFor> appliedFor(List<String> values) {
        Check.size("appliedFor", values, 1, AppliedFor.values().length);
        Set<AppliedFor> out = EnumSet.noneOf(AppliedFor.class);
        values.forEach(v -> out.add(Check.choice("appliedFor", v, AppliedFor.class)));
        return out;
    }

    /** A template's KMS types may leave the key out: the repository then gets the managed key when it is created. */
    private Encryption encryption(EncryptionShape shape) {
        Encryption.Type type = Check.choice("encryptionConfiguration.encryptionType",
                Check.required("encryptionConfiguration.encryptionType", shape.encryptionType()), Encryption.Type.class);
        String key = shape.kmsKey() == null || shape.kmsKey().isEmpty() ? null
                : Check.length("encryptionConfiguration.kmsKey", shape.kmsKey(), 1, 2048);
        if (type == Encryption.Type.AES256 && key != null) {
            throw EcrProblem.invalid("Invalid parameter: kmsKey can only be specified with the KMS encryption types");
        }
        Encryption encryption = new Encryption(type, key);
        if (!keyKnown.test(encryption)) {
            throw new EcrProblem(EcrError.KmsException, "The KMS key " + key + " does not exist in this registry's key"
                    + " store (create it with `wharf kms create-key`)");
        }
        return encryption;
    }
}
