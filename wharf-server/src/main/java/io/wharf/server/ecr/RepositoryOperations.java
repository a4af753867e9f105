package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrOperation.repository;

import io.wharf.core.model.Encryption;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.RepositorySettings;
import io.wharf.core.model.TagFilter;
import io.wharf.core.model.TagMutability;
import io.wharf.core.model.TagMutabilityPolicy;
import io.wharf.core.service.ListingService.Page;
import io.wharf.core.service.RepositoryService;
import io.wharf.core.spi.Repository;
import io.wharf.server.ecr.EcrOperation.Scope;
import io.wharf.server.ecr.Shapes.EncryptionShape;
import io.wharf.server.ecr.Shapes.FilterShape;
import io.wharf.server.ecr.Shapes.RepositoryShape;
import io.wharf.server.ecr.Shapes.ScanningShape;
import io.wharf.server.ecr.Shapes.TagShape;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** CreateRepository, DescribeRepositories, DeleteRepository, PutImageTagMutability, PutImageScanningConfiguration. */
final class RepositoryOperations {
    private final RepositoryService repositories;
    private final Predicate<Encryption> keyKnown;
    private final String region;

    /** @param keyKnown whether an encryption setting can be applied (its KMS key is in Wharf's key store) */
    RepositoryOperations(RepositoryService repositories, String region, Predicate<Encryption> keyKnown) {
        this.repositories = repositories;
        this.region = region;
        this.keyKnown = keyKnown;
    }

    List<EcrOperation<?>> operations() {
        return List.of(
                repository("CreateRepository", CreateRepositoryRequest.class, this::create),
                new EcrOperation<>("DescribeRepositories", DescribeRepositoriesRequest.class, Scope.REPOSITORIES, this::describe),
                repository("DeleteRepository", DeleteRepositoryRequest.class, this::delete),
                repository("PutImageTagMutability", PutImageTagMutabilityRequest.class, this::putTagMutability),
                repository("PutImageScanningConfiguration", PutImageScanningConfigurationRequest.class, this::putScanning));
    }

    // ---- CreateRepository

    record CreateRepositoryRequest(String registryId, String repositoryName, List<TagShape> tags, String imageTagMutability,
                                   List<FilterShape> imageTagMutabilityExclusionFilters,
                                   ScanningShape imageScanningConfiguration, EncryptionShape encryptionConfiguration)
            implements EcrRequest.Repo {
    }

    record RepositoryResponse(RepositoryShape repository) {
    }

    private RepositoryResponse create(EcrCall call, CreateRepositoryRequest req) {
        TagMutabilityPolicy mutability = mutability(req.imageTagMutability(), req.imageTagMutabilityExclusionFilters(),
                TagMutability.MUTABLE);
        boolean scan = req.imageScanningConfiguration() != null && Boolean.TRUE.equals(req.imageScanningConfiguration().scanOnPush());
        RepositorySettings settings = new RepositorySettings(mutability, scan, encryption(call, req.encryptionConfiguration()));
        Map<String, String> tags = ResourceTags.parse(req.tags());
        return new RepositoryResponse(RepositoryShape.of(call, repositories.create(call.repo(), settings, tags)));
    }

    private Encryption encryption(EcrCall call, EncryptionShape shape) {
        if (shape == null) {
            return Encryption.AES256;
        }
        Encryption.Type type = Check.choice("encryptionConfiguration.encryptionType",
                Check.required("encryptionConfiguration.encryptionType", shape.encryptionType()), Encryption.Type.class);
        String key = Check.length("encryptionConfiguration.kmsKey", shape.kmsKey(), 1, 2048);
        if (type == Encryption.Type.AES256 && key != null) {
            throw EcrProblem.invalid("Invalid parameter: kmsKey can only be specified with the KMS encryption types");
        }
        if (type != Encryption.Type.AES256 && key == null) {
            key = "arn:aws:kms:" + region + ":" + call.account() + ":alias/aws/ecr"; // what ECR reports: the managed key
        }
        Encryption encryption = new Encryption(type, key);
        if (!keyKnown.test(encryption)) {
            throw new EcrProblem(EcrError.KmsException, "The KMS key " + key + " does not exist in this registry's key"
                    + " store (create it with `wharf kms create-key`)");
        }
        return encryption;
    }

    static TagMutabilityPolicy mutability(String mode, List<FilterShape> filters, TagMutability fallback) {
        TagMutability m = Check.choice("imageTagMutability", mode, TagMutability.class);
        Check.size("imageTagMutabilityExclusionFilters", filters, 1, TagMutabilityPolicy.MAX_EXCLUSIONS);
        List<TagFilter> parsed = filters == null ? List.of() : filters.stream().map(RepositoryOperations::filter).toList();
        return new TagMutabilityPolicy(m == null ? fallback : m, parsed);
    }

    private static TagFilter filter(FilterShape f) {
        if (!"WILDCARD".equals(Check.required("filterType", f.filterType()))) {
            throw EcrProblem.constraint("filterType", "Member must satisfy enum value set: [WILDCARD]");
        }
        return TagFilter.parse(Check.required("filter", f.filter()));
    }

    // ---- DescribeRepositories

    record DescribeRepositoriesRequest(String registryId, List<String> repositoryNames, String nextToken, Integer maxResults)
            implements EcrOperation.Repos {
    }

    record DescribeRepositoriesResponse(List<RepositoryShape> repositories, String nextToken) {
    }

    private DescribeRepositoriesResponse describe(EcrCall call, DescribeRepositoriesRequest req) {
        Check.noPagingWith("repositoryNames", req.repositoryNames(), req.nextToken(), req.maxResults());
        if (req.repositoryNames() != null) {
            Check.size("repositoryNames", req.repositoryNames(), 1, 100);
            List<RepositoryName> names = req.repositoryNames().stream()
                    .map(n -> Check.repositoryName("repositoryNames", n)).toList();
            return new DescribeRepositoriesResponse(shapes(call, repositories.describe(call.account(), names)), null);
        }
        int size = Check.maxResults(req.maxResults(), 1000);
        String scope = PageToken.scope("DescribeRepositories", call.account());
        String cursor = PageToken.decode(scope, req.nextToken());
        Page<Repository> page = repositories.page(call.account(), cursor == null ? null : parseName(cursor), size);
        String next = page.more() ? PageToken.encode(scope, page.lastItem().name().value()) : null;
        return new DescribeRepositoriesResponse(shapes(call, page.items()), next);
    }

    private static RepositoryName parseName(String cursor) {
        try {
            return RepositoryName.parse(cursor, 256);
        } catch (RuntimeException e) {
            throw EcrProblem.constraint("nextToken", "Invalid pagination token");
        }
    }

    private static List<RepositoryShape> shapes(EcrCall call, List<Repository> found) {
        return found.stream().map(r -> RepositoryShape.of(call, r)).toList();
    }

    // ---- DeleteRepository

    record DeleteRepositoryRequest(String registryId, String repositoryName, Boolean force) implements EcrRequest.Repo {
    }

    private RepositoryResponse delete(EcrCall call, DeleteRepositoryRequest req) {
        Repository deleted = repositories.delete(call.repo(), Boolean.TRUE.equals(req.force()));
        return new RepositoryResponse(RepositoryShape.of(call, deleted));
    }

    // ---- PutImageTagMutability

    record PutImageTagMutabilityRequest(String registryId, String repositoryName, String imageTagMutability,
                                        List<FilterShape> imageTagMutabilityExclusionFilters) implements EcrRequest.Repo {
    }

    record PutImageTagMutabilityResponse(String registryId, String repositoryName, String imageTagMutability,
                                         List<FilterShape> imageTagMutabilityExclusionFilters) {
    }

    private PutImageTagMutabilityResponse putTagMutability(EcrCall call, PutImageTagMutabilityRequest req) {
        Check.required("imageTagMutability", req.imageTagMutability());
        TagMutabilityPolicy policy = mutability(req.imageTagMutability(), req.imageTagMutabilityExclusionFilters(), null);
        Repository r = repositories.setTagMutability(call.repo(), policy);
        RepositoryShape shape = RepositoryShape.of(call, r);
        return new PutImageTagMutabilityResponse(r.account(), r.name().value(), shape.imageTagMutability(),
                shape.imageTagMutabilityExclusionFilters());
    }

    // ---- PutImageScanningConfiguration

    record PutImageScanningConfigurationRequest(String registryId, String repositoryName,
                                                ScanningShape imageScanningConfiguration) implements EcrRequest.Repo {
    }

    record PutImageScanningConfigurationResponse(String registryId, String repositoryName,
                                                 ScanningShape imageScanningConfiguration) {
    }

    private PutImageScanningConfigurationResponse putScanning(EcrCall call, PutImageScanningConfigurationRequest req) {
        ScanningShape scanning = Check.required("imageScanningConfiguration", req.imageScanningConfiguration());
        Repository r = repositories.setScanOnPush(call.repo(), Boolean.TRUE.equals(scanning.scanOnPush()));
        return new PutImageScanningConfigurationResponse(r.account(), r.name().value(),
                new ScanningShape(r.settings().scanOnPush()));
    }
}
