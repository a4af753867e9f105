package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrOperation.registry;
import static io.wharf.server.ecr.EcrOperation.repository;

import io.wharf.core.model.Digest;
import io.wharf.core.replication.ReplicationConfiguration;
import io.wharf.core.replication.ReplicationService;
import io.wharf.core.service.ImageDetail;
import io.wharf.core.service.ImageService;
import io.wharf.core.spi.ReplicationIndex.Task;
import io.wharf.core.spi.TagStatus;
import io.wharf.server.ecr.Shapes.ImageIdShape;
import java.util.List;

/** PutReplicationConfiguration, DescribeRegistry, DescribeImageReplicationStatus (docs/replication.md). */
final class ReplicationOperations {
    private final ReplicationService replication;
    private final ImageService images;

    ReplicationOperations(ReplicationService replication, ImageService images) {
        this.replication = replication;
        this.images = images;
    }

    List<EcrOperation<?>> operations() {
        return List.of(
                registry("PutReplicationConfiguration", PutReplicationConfigurationRequest.class, this::put),
                registry("DescribeRegistry", NoInput.class, this::describe),
                repository("DescribeImageReplicationStatus", DescribeImageReplicationStatusRequest.class, this::status));
    }

    record NoInput() implements EcrRequest {
    }

    record PutReplicationConfigurationRequest(ReplicationConfiguration replicationConfiguration) implements EcrRequest {
    }

    record PutReplicationConfigurationResponse(ReplicationConfiguration replicationConfiguration) {
    }

    private PutReplicationConfigurationResponse put(EcrCall call, PutReplicationConfigurationRequest req) {
        Check.required("replicationConfiguration", req.replicationConfiguration());
        return new PutReplicationConfigurationResponse(replication.putConfiguration(call.account(), req.replicationConfiguration()));
    }

    record DescribeRegistryResponse(String registryId, ReplicationConfiguration replicationConfiguration) {
    }

    private DescribeRegistryResponse describe(EcrCall call, NoInput req) {
        return new DescribeRegistryResponse(call.account(), replication.configuration(call.account()));
    }

    record DescribeImageReplicationStatusRequest(String registryId, String repositoryName, ImageIdShape imageId)
            implements EcrRequest.Repo {
    }

    record ReplicationStatusShape(String region, String registryId, String status, String failureCode) {
        static ReplicationStatusShape of(Task t) {
            return new ReplicationStatusShape(t.target().region(), t.target().registryId(), t.status().name(),
                    t.status() == io.wharf.core.spi.ReplicationIndex.Status.FAILED ? t.failure() : null);
        }
    }

    record DescribeImageReplicationStatusResponse(String repositoryName, ImageIdShape imageId,
                                                  List<ReplicationStatusShape> replicationStatuses) {
    }

    private DescribeImageReplicationStatusResponse status(EcrCall call, DescribeImageReplicationStatusRequest req) {
        Check.required("imageId", req.imageId());
        ImageDetail image = images.describe(call.repo(), List.of(ImageIds.strict(req.imageId())), TagStatus.ANY).getFirst();
        Digest digest = image.image().manifest().digest();
        List<ReplicationStatusShape> statuses = replication.statuses(call.repo(), digest).stream()
                .map(ReplicationStatusShape::of).toList();
        return new DescribeImageReplicationStatusResponse(call.repo().name().value(),
                new ImageIdShape(digest.toString(), req.imageId().imageTag()), statuses);
    }
}
