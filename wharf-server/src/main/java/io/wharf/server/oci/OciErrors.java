package io.wharf.server.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.error.BlobDamagedException;
import io.wharf.core.error.BlobUnknownException;
import io.wharf.core.error.BodyIncompleteException;
import io.wharf.core.error.DigestMismatchException;
import io.wharf.core.error.ImageAlreadyExistsException;
import io.wharf.core.error.ImageTagImmutableException;
import io.wharf.core.error.LayerAlreadyExistsException;
import io.wharf.core.error.LayerInaccessibleException;
import io.wharf.core.error.LayerInvalidException;
import io.wharf.core.error.LayerPartInvalidException;
import io.wharf.core.error.LayerPartTooSmallException;
import io.wharf.core.error.LimitExceededException;
import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.error.PolicyNotFoundException;
import io.wharf.core.error.PullThroughException;
import io.wharf.core.error.ReferencedManifestUnknownException;
import io.wharf.core.error.RepositoryAlreadyExistsException;
import io.wharf.core.error.RepositoryNotEmptyException;
import io.wharf.core.error.TooManyTagsException;
import io.wharf.core.error.TooManyUploadsException;
import io.wharf.core.error.UploadEmptyException;
import io.wharf.core.error.ScanNotFoundException;
import io.wharf.core.error.UnsupportedImageTypeException;
import io.wharf.core.error.ConfigurationInvalidException;
import io.wharf.core.error.CreationTemplateException;
import io.wharf.core.error.ImageNotTrustedException;
import io.wharf.core.error.BlobUploadInvalidException;
import io.wharf.core.error.BlobUploadUnknownException;
import io.wharf.core.error.DigestInvalidException;
import io.wharf.core.error.ManifestBlobUnknownException;
import io.wharf.core.error.ManifestDamagedException;
import io.wharf.core.error.ManifestInvalidException;
import io.wharf.core.error.ManifestUnknownException;
import io.wharf.core.error.NameInvalidException;
import io.wharf.core.error.NameUnknownException;
import io.wharf.core.error.RangeNotSatisfiableException;
import io.wharf.core.error.RegistryException;
import io.wharf.core.error.SizeInvalidException;
import io.wharf.core.error.StorageFullException;
import io.wharf.core.error.StorageUnavailableException;
import io.wharf.core.error.TagInvalidException;
import io.wharf.core.error.TooLargeException;
import io.wharf.core.error.UnsupportedException;
import io.wharf.server.auth.AuthException;
import io.wharf.server.http.ThrottledException;

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
            // ECR's own registry answers a refused tag move and an exceeded quota exactly so
            case ImageTagImmutableException x -> OciError.TAG_INVALID;
            case LimitExceededException x -> OciError.DENIED;
            // the spec's code for "too many requests", which clients may retry later
            case TooManyUploadsException x -> OciError.TOOMANYREQUESTS;
            case ReferencedManifestUnknownException x -> OciError.MANIFEST_BLOB_UNKNOWN;
            case DigestMismatchException x -> OciError.DIGEST_INVALID;
            case LayerInvalidException x -> OciError.DIGEST_INVALID;
            case LayerInaccessibleException x -> OciError.BLOB_UNKNOWN;
            case LayerPartInvalidException x -> OciError.RANGE_INVALID;
            case LayerPartTooSmallException x -> OciError.SIZE_INVALID;
            case UploadEmptyException x -> OciError.BLOB_UPLOAD_INVALID;
            case StorageFullException x -> OciError.STORAGE_FULL;
            case StorageUnavailableException x -> OciError.UNAVAILABLE;
            // damaged content is not served: "unknown" makes clients that check before pushing push it again
            case BlobDamagedException x -> OciError.BLOB_UNKNOWN;
            case ManifestDamagedException x -> OciError.MANIFEST_UNKNOWN;
            // the rest only arise from ECR API operations; mapped for exhaustiveness
            case RepositoryAlreadyExistsException x -> OciError.DENIED;
            case RepositoryNotEmptyException x -> OciError.DENIED;
            case ImageAlreadyExistsException x -> OciError.MANIFEST_INVALID;
            case LayerAlreadyExistsException x -> OciError.BLOB_UPLOAD_INVALID;
            case TooManyTagsException x -> OciError.DENIED;
            case PolicyNotFoundException x -> OciError.NAME_UNKNOWN;
            case ParameterInvalidException x -> OciError.UNSUPPORTED;
            case ScanNotFoundException x -> OciError.MANIFEST_UNKNOWN;
            case UnsupportedImageTypeException x -> OciError.UNSUPPORTED;
            case ConfigurationInvalidException x -> OciError.UNSUPPORTED;
            case PullThroughException x -> switch (x.kind()) {
                case UPSTREAM_ACCESS_DENIED -> OciError.DENIED;
                case UPSTREAM_TOO_MANY_REQUESTS -> OciError.TOOMANYREQUESTS;
                case UPSTREAM_UNAVAILABLE -> OciError.UNAVAILABLE;
                case RULE_NOT_FOUND -> OciError.NAME_UNKNOWN;
                case RULE_ALREADY_EXISTS, UNSUPPORTED_UPSTREAM, SECRET_NOT_FOUND, SECRET_UNREADABLE -> OciError.DENIED;
            };
            case CreationTemplateException x -> OciError.UNSUPPORTED; // the registry API has no templates
            case ImageNotTrustedException x -> OciError.DENIED; // the repository's signature policy
            case BodyIncompleteException x -> switch (x.reason()) {
                case MALFORMED -> OciError.BLOB_UPLOAD_INVALID;
                case ENDED_EARLY -> OciError.SIZE_INVALID; // shorter than its Content-Length
                case TIMED_OUT -> OciError.BODY_TIMEOUT;
            };
        };
    }

    /** Missing or unusable credentials ask for new ones (401); an expired token or a policy refusal is final (403). */
    static OciError map(AuthException e) {
        return switch (e.kind()) {
            case MISSING, UNRECOGNIZED_CLIENT, INVALID_SIGNATURE, INCOMPLETE_SIGNATURE -> OciError.UNAUTHORIZED;
            case EXPIRED_TOKEN, ACCESS_DENIED -> OciError.DENIED;
        };
    }

    /** An account over its request rate: the spec's code for it (the handler adds {@code Retry-After}). */
    static OciError map(ThrottledException e) {
        return OciError.TOOMANYREQUESTS;
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
