package io.wharf.server.oci;

/** The OCI distribution error codes Wharf sends, each with its HTTP status (one table, one place). */
public enum OciError {
    BLOB_UNKNOWN(404),
    BLOB_UPLOAD_INVALID(400),
    BLOB_UPLOAD_UNKNOWN(404),
    DIGEST_INVALID(400),
    MANIFEST_BLOB_UNKNOWN(404),
    MANIFEST_INVALID(400),
    MANIFEST_UNKNOWN(404),
    NAME_INVALID(400),
    NAME_UNKNOWN(404),
    SIZE_INVALID(400),
    /** Body over a configured limit: SIZE_INVALID with 413, so clients see both the code and the reason. */
    TOO_LARGE(413, "SIZE_INVALID"),
    TAG_INVALID(400),
    /** A request body that stalled past the idle timeout: the spec has no code for it, the status says it. */
    BODY_TIMEOUT(408, "BLOB_UPLOAD_INVALID"),
    UNAUTHORIZED(401),
    DENIED(403),
    UNSUPPORTED(405),
    /** A query parameter that fits no other code: the spec's UNSUPPORTED ("invalid set of parameters"), as a 400. */
    PARAMETER_INVALID(400, "UNSUPPORTED"),
    TOOMANYREQUESTS(429),
    /** Not in the spec's table; CNCF Distribution uses it for out-of-order chunks and bad ranges. */
    RANGE_INVALID(416),
    /** Not in the spec's table; CNCF Distribution uses it for a bad {@code n}. */
    PAGINATION_NUMBER_INVALID(400),
    /** No space left to store the request: 507 Insufficient Storage, with CNCF Distribution's UNAVAILABLE code. */
    STORAGE_FULL(507, "UNAVAILABLE"),
    /** Not in the spec's table; CNCF Distribution's code for a registry that cannot serve the request now. */
    UNAVAILABLE(503),
    UNKNOWN(500);

    private final int status;
    private final String code;

    OciError(int status) {
        this(status, null);
    }

    OciError(int status, String code) {
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code == null ? name() : code;
    }
}
