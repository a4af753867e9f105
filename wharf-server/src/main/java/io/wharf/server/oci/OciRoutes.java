package io.wharf.server.oci;

import io.wharf.server.oci.OciPath.Kind;
import java.io.IOException;
import java.util.List;

/**
 * The route table of the OCI Distribution API: every route, its handler, and the IAM action it
 * is authorized as (ECR's action names, so identity and repository policies apply unchanged).
 */
final class OciRoutes {
    /** The action of a blob GET: what reading a repository's blobs, and so mounting from it, needs. */
    static final String READ_BLOB = "ecr:GetDownloadUrlForLayer";

    @FunctionalInterface
    interface Endpoint {
        void handle(OciCall call) throws IOException;
    }

    record Route(Kind kind, String method, Endpoint endpoint, String action) {
    }

    static List<Route> table(BlobEndpoints blobs, UploadEndpoints uploads, ManifestEndpoints manifests,
                             ListingEndpoints listings) {
        return List.of(
                new Route(Kind.BASE, "GET", listings::base, null),
                new Route(Kind.BASE, "HEAD", listings::base, null),
                new Route(Kind.CATALOG, "GET", listings::catalog, "ecr:DescribeRepositories"),
                new Route(Kind.TAGS, "GET", listings::tags, "ecr:ListImages"),
                new Route(Kind.MANIFEST, "GET", manifests::get, "ecr:BatchGetImage"),
                new Route(Kind.MANIFEST, "HEAD", manifests::get, "ecr:BatchGetImage"),
                new Route(Kind.MANIFEST, "PUT", manifests::put, "ecr:PutImage"),
                new Route(Kind.MANIFEST, "DELETE", manifests::delete, "ecr:BatchDeleteImage"),
                new Route(Kind.REFERRERS, "GET", manifests::referrers, "ecr:BatchGetImage"),
                new Route(Kind.BLOB, "GET", blobs::get, READ_BLOB),
                new Route(Kind.BLOB, "HEAD", blobs::get, "ecr:BatchCheckLayerAvailability"),
                new Route(Kind.BLOB, "DELETE", blobs::delete, "ecr:BatchDeleteImage"),
                new Route(Kind.UPLOADS, "POST", uploads::start, "ecr:InitiateLayerUpload"),
                new Route(Kind.UPLOAD, "GET", uploads::status, "ecr:UploadLayerPart"),
                new Route(Kind.UPLOAD, "PATCH", uploads::patch, "ecr:UploadLayerPart"),
                new Route(Kind.UPLOAD, "PUT", uploads::complete, "ecr:CompleteLayerUpload"),
                new Route(Kind.UPLOAD, "DELETE", uploads::cancel, "ecr:UploadLayerPart"));
    }

    private OciRoutes() {
    }
}
