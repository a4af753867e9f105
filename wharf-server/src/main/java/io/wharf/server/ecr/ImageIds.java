package io.wharf.server.ecr;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Tag;
import io.wharf.core.service.ImageFailure;
import io.wharf.core.service.ImageQuery;
import io.wharf.server.ecr.Shapes.ImageIdShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Image identifiers of batch requests parsed at the edge: a malformed entry becomes a failure with
 * ECR's failure code instead of failing the batch; only a tag outside the model's 1–300 characters
 * fails the call.
 */
record ImageIds(List<ImageQuery> queries, List<ImageFailure> failures) {

    static ImageIds parse(List<ImageIdShape> ids) {
        List<ImageQuery> queries = new ArrayList<>();
        List<ImageFailure> failures = new ArrayList<>();
        for (ImageIdShape id : ids) {
            if (id != null) {
                Check.length("imageTag", id.imageTag(), 1, 300); // a model constraint fails the call, as DescribeImages does
            }
            if (id == null || (id.imageDigest() == null && id.imageTag() == null)) {
                failures.add(new ImageFailure(null, null, ImageFailure.Code.MissingDigestAndTag,
                        "Invalid request parameters: both tag and digest cannot be null"));
            } else if (id.imageDigest() != null && !isDigest(id.imageDigest())) {
                failures.add(new ImageFailure(id.imageDigest(), id.imageTag(), ImageFailure.Code.InvalidImageDigest,
                        "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'"));
            } else if (id.imageTag() != null && !Tag.isValid(id.imageTag())) {
                failures.add(new ImageFailure(id.imageDigest(), id.imageTag(), ImageFailure.Code.InvalidImageTag,
                        "Invalid request parameters: image tag is invalid"));
            } else {
                queries.add(new ImageQuery(id.imageDigest() == null ? null : Digest.parse(id.imageDigest()),
                        id.imageTag() == null ? null : new Tag(id.imageTag())));
            }
        }
        return new ImageIds(queries, failures);
    }

    /** For operations where any bad identifier fails the call (DescribeImages). */
    static ImageQuery strict(ImageIdShape id) {
        if (id == null || (id.imageDigest() == null && id.imageTag() == null)) {
            throw EcrProblem.invalid("Invalid parameter at 'imageIds': an image id needs an imageDigest or an imageTag");
        }
        return new ImageQuery(id.imageDigest() == null ? null : Check.digest("imageDigest", id.imageDigest()),
                id.imageTag() == null ? null : Check.tag("imageTag", id.imageTag()));
    }

    private static boolean isDigest(String text) {
        try {
            Digest.parse(text);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
