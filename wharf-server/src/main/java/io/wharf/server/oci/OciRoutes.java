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

    /**
     * @param name   the route's name in metrics and logs ({@code GetManifest})
     * @param action the IAM action it is authorized as; null: none (the base route)
     */
    record Route(String name, Kind kind, String method, Endpoint endpoint, String action) {
    }

    static List<Route> table(BlobEndpoints blobs, UploadEndpoints uploads, ManifestEndpoints manifests,
                             ListingEndpoints listings) {
        return List.of(
                new Route("GetBase", Kind.BASE, "GET", listings::base, null),
                new Route("HeadBase", Kind.BASE, "HEAD", listings::base, null),
                new Route("ListCatalog", Kind.CATALOG, "GET", listings::catalog, "ecr:DescribeRepositories"),
                new Route("ListTags", Kind.TAGS, "GET", listings::tags, "ecr:ListImages"),
                new Route("GetManifest", Kind.MANIFEST, "GET", manifests::get, "ecr:BatchGetImage"),
                new Route("HeadManifest", Kind.MANIFEST, "HEAD", manifests::get, "ecr:BatchGetImage"),
                new Route("PutManifest", Kind.MANIFEST, "PUT", manifests::put, "ecr:PutImage"),
                new Route("DeleteManifest", Kind.MANIFEST, "DELETE", manifests::delete, "ecr:BatchDeleteImage"),
                new Route("ListReferrers", Kind.REFERRERS, "GET", manifests::referrers, "ecr:BatchGetImage"),
                new Route("GetBlob", Kind.BLOB, "GET", blobs::get, READ_BLOB),
                new Route("HeadBlob", Kind.BLOB, "HEAD", blobs::get, "ecr:BatchCheckLayerAvailability"),
                new Route("DeleteBlob", Kind.BLOB, "DELETE", blobs::delete, "ecr:BatchDeleteImage"),
                new Route("StartUpload", Kind.UPLOADS, "POST", uploads::start, "ecr:InitiateLayerUpload"),
                new Route("GetUploadStatus", Kind.UPLOAD, "GET", uploads::status, "ecr:UploadLayerPart"),
                new Route("PatchUpload", Kind.UPLOAD, "PATCH", uploads::patch, "ecr:UploadLayerPart"),
                new Route("CompleteUpload", Kind.UPLOAD, "PUT", uploads::complete, "ecr:CompleteLayerUpload"),
                new Route("CancelUpload", Kind.UPLOAD, "DELETE", uploads::cancel, "ecr:UploadLayerPart"));
    }

    private OciRoutes() {
    }
}
