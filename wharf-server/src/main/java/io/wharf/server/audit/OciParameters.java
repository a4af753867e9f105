package io.wharf.server.audit;

import io.wharf.server.http.QueryString;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * An OCI call's parameters in ECR's words, read back from its path and query only when the record is kept (so the
 * handler's hot path builds nothing): {@code repositoryName}, {@code imageTag} or {@code imageDigest},
 * {@code layerDigest}, {@code uploadId}, {@code mountFrom}.
 */
final class OciParameters {

    private OciParameters() {
    }

    static Map<String, Object> of(Request request, String repository) {
        return of(request.getHttpURI().getPath(), request.getHttpURI().getQuery(), repository);
    }

    /** The parameters of a call to {@code path} with the raw {@code query} (null: none); never throws. */
    static Map<String, Object> of(String path, String query, String repository) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (repository == null) {
            return null;
        }
        p.put("repositoryName", repository);
        reference(p, path, "/manifests/", "imageDigest", "imageTag");
        reference(p, path, "/blobs/uploads/", "uploadId", "uploadId");
        if (!path.contains("/blobs/uploads/")) {
            reference(p, path, "/blobs/", "layerDigest", "layerDigest");
        }
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("digest=")) {
                    p.put("layerDigest", decode(pair.substring(7)));
                } else if (pair.startsWith("mount=")) {
                    p.put("layerDigest", decode(pair.substring(6)));
                } else if (pair.startsWith("from=")) {
                    p.put("mountFrom", decode(pair.substring(5)));
                }
            }
        }
        return p;
    }

    private static void reference(Map<String, Object> p, String path, String marker, String digestKey, String otherKey) {
        int at = path.lastIndexOf(marker);
        if (at < 0 || at + marker.length() >= path.length()) {
            return;
        }
        String ref = path.substring(at + marker.length());
        p.put(ref.contains(":") ? digestKey : otherKey, ref);
    }

    /** A malformed value is kept as sent: the record must be written, and says what came. */
    private static String decode(String s) {
        String decoded = QueryString.decode(s);
        return decoded != null ? decoded : s;
    }

    /** What a changing OCI call returned: the stored digest, the upload's id. */
    static Map<String, Object> results(Request request, Response response) {
        if (request.getMethod().equals("GET") || request.getMethod().equals("HEAD") || response.getStatus() >= 300) {
            return null;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        String digest = response.getHeaders().get("Docker-Content-Digest");
        if (digest != null) {
            r.put("digest", digest);
        }
        String upload = response.getHeaders().get("Docker-Upload-UUID");
        if (upload != null) {
            r.put("uploadId", upload);
        }
        return r.isEmpty() ? null : r;
    }
}
