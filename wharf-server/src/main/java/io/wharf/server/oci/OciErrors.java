package io.wharf.server.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.error.BlobUnknownException;
import io.wharf.core.error.BlobUploadInvalidException;
import io.wharf.core.error.BlobUploadUnknownException;
import io.wharf.core.error.DigestInvalidException;
import io.wharf.core.error.ManifestBlobUnknownException;
import io.wharf.core.error.ManifestInvalidException;
import io.wharf.core.error.ManifestUnknownException;
import io.wharf.core.error.NameInvalidException;
import io.wharf.core.error.NameUnknownException;
import io.wharf.core.error.RangeNotSatisfiableException;
import io.wharf.core.error.RegistryException;
import io.wharf.core.error.SizeInvalidException;
import io.wharf.core.error.TagInvalidException;
import io.wharf.core.error.TooLargeException;
import io.wharf.core.error.UnsupportedException;

/** The one mapping from domain failures to OCI error codes, and the one writer of the error envelope. */
final class OciErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OciErrors() {
    }

    static OciError map(RegistryException e) {
        return switch (e) {
            case BlobUnknownException x -> OciError.BLOB_UNKNOWN;
            case BlobUploadUnknownException x -> OciError.BLOB_UPLOAD_UNKNOWN;
            case BlobUploadInvalidException x -> OciError.BLOB_UPLOAD_INVALID;
            case DigestInvalidException x -> OciError.DIGEST_INVALID;
            case ManifestUnknownException x -> OciError.MANIFEST_UNKNOWN;
            case ManifestInvalidException x -> OciError.MANIFEST_INVALID;
            case ManifestBlobUnknownException x -> OciError.MANIFEST_BLOB_UNKNOWN;
            case NameInvalidException x -> OciError.NAME_INVALID;
            case NameUnknownException x -> OciError.NAME_UNKNOWN;
            case TagInvalidException x -> OciError.TAG_INVALID;
            case SizeInvalidException x -> OciError.SIZE_INVALID;
            case RangeNotSatisfiableException x -> OciError.RANGE_INVALID;
            case UnsupportedException x -> OciError.UNSUPPORTED;
            case TooLargeException x -> OciError.TOO_LARGE;
        };
    }

    /** {@code {"errors":[{"code":..,"message":..,"detail":..}]}} */
    static String body(OciError error, String message, String detail) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode errors = root.putArray("errors");
        ObjectNode e = errors.addObject();
        e.put("code", error.code());
        e.put("message", message == null ? error.code().toLowerCase() : message);
        if (detail != null) {
            e.put("detail", detail);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
