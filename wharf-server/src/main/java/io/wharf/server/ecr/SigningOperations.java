package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrOperation.registry;
import static io.wharf.server.ecr.EcrOperation.repository;

import io.wharf.core.model.Digest;
import io.wharf.core.service.ImageService;
import io.wharf.core.signature.SigningConfiguration;
import io.wharf.core.signature.SigningService;
import io.wharf.core.signature.SigningStatus;
import io.wharf.core.spi.TagStatus;
import io.wharf.server.ecr.Shapes.ImageIdShape;
import java.util.List;

/**
 * Put/Get/DeleteSigningConfiguration and DescribeImageSigningStatus (docs/signatures.md): ECR's managed signing, with
 * keys Wharf holds instead of AWS Signer, writing cosign signatures.
 */
final class SigningOperations {
    private final SigningService signing;
    private final ImageService images;

    SigningOperations(SigningService signing, ImageService images) {
        this.signing = signing;
        this.images = images;
    }

    List<EcrOperation<?>> operations() {
        return List.of(
                registry("PutSigningConfiguration", PutRequest.class, this::put),
                registry("GetSigningConfiguration", NoInput.class, this::get),
                registry("DeleteSigningConfiguration", NoInput.class, this::delete),
                repository("DescribeImageSigningStatus", StatusRequest.class, this::status));
    }

    record NoInput() implements EcrRequest {
    }

    record PutRequest(SigningConfiguration signingConfiguration) implements EcrRequest {
    }

    record PutResponse(SigningConfiguration signingConfiguration) {
    }

    record ConfigurationResponse(String registryId, SigningConfiguration signingConfiguration) {
    }

    record StatusRequest(String registryId, String repositoryName, ImageIdShape imageId) implements EcrRequest.Repo {
    }

    record StatusShape(String signingProfileArn, String failureCode, String failureReason, String status) {
        static StatusShape of(SigningStatus s) {
            return new StatusShape(s.signingProfileArn(), s.failureCode(), s.failureReason(), s.status().name());
        }
    }

    record StatusResponse(String registryId, String repositoryName, ImageIdShape imageId, List<StatusShape> signingStatuses) {
    }

    private PutResponse put(EcrCall call, PutRequest req) {
        return new PutResponse(signing.put(call.account(), Check.required("signingConfiguration", req.signingConfiguration())));
    }

    private ConfigurationResponse get(EcrCall call, NoInput req) {
        return new ConfigurationResponse(call.account(), signing.get(call.account()));
    }

    private ConfigurationResponse delete(EcrCall call, NoInput req) {
        return new ConfigurationResponse(call.account(), signing.delete(call.account()));
    }

    private StatusResponse status(EcrCall call, StatusRequest req) {
        Check.required("imageId", req.imageId());
        Digest digest = images.describe(call.repo(), List.of(ImageIds.strict(req.imageId())), TagStatus.ANY).getFirst()
                .image().manifest().digest();
        List<StatusShape> statuses = signing.statuses(call.repo(), digest).stream().map(StatusShape::of).toList();
        return new StatusResponse(call.account(), call.repo().name().value(),
                new ImageIdShape(digest.toString(), req.imageId().imageTag()), statuses);
    }
}
