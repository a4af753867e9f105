package io.wharf.server.ecr;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.wharf.core.model.Encryption;
import io.wharf.core.model.RepositorySettings;
import io.wharf.core.model.TagFilter;
import io.wharf.core.service.ImageFailure;
import io.wharf.core.spi.ImageTagRef;
import io.wharf.core.spi.Repository;
import java.time.Instant;
import java.util.List;

/** Structures shared by several operations, as the ECR model names them. */
final class Shapes {
    private Shapes() {
    }

    record RepositoryShape(String repositoryArn, String registryId, String repositoryName, String repositoryUri,
                           Instant createdAt, String imageTagMutability, List<FilterShape> imageTagMutabilityExclusionFilters,
                           ScanningShape imageScanningConfiguration, EncryptionShape encryptionConfiguration) {

        /** Every default filled in, as real ECR does (Terraform reads them back). */
        static RepositoryShape of(EcrCall call, Repository r) {
            RepositorySettings s = r.settings();
            List<FilterShape> filters = s.tagMutability().exclusions().isEmpty() ? null
                    : s.tagMutability().exclusions().stream().map(FilterShape::of).toList();
            return new RepositoryShape(call.repositoryArn(r.name()), r.account(), r.name().value(),
                    call.repositoryUri(r.name()), r.createdAt(), s.tagMutability().mode().name(), filters,
                    new ScanningShape(s.scanOnPush()), EncryptionShape.of(s.encryption()));
        }
    }

    record FilterShape(String filterType, String filter) {
        static FilterShape of(TagFilter f) {
            return new FilterShape("WILDCARD", f.value());
        }
    }

    record ScanningShape(Boolean scanOnPush) {
    }

    record EncryptionShape(String encryptionType, String kmsKey) {
        static EncryptionShape of(Encryption e) {
            return new EncryptionShape(e.type().name(), e.kmsKey());
        }
    }

    record ImageIdShape(String imageDigest, String imageTag) {
        static ImageIdShape of(ImageTagRef ref) {
            return new ImageIdShape(ref.digest().toString(), ref.tag() == null ? null : ref.tag().value());
        }
    }

    record ImageFailureShape(ImageIdShape imageId, String failureCode, String failureReason) {
        static ImageFailureShape of(ImageFailure f) {
            return new ImageFailureShape(new ImageIdShape(f.digest(), f.tag()), f.code().name(), f.reason());
        }
    }

    /** The one shape with capitalised members. */
    record TagShape(@JsonProperty("Key") String key, @JsonProperty("Value") String value) {
    }
}
