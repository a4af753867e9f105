package io.wharf.server.ecr;

import io.wharf.core.error.BlobDamagedException;
import io.wharf.core.error.BlobUnknownException;
import io.wharf.core.error.BodyIncompleteException;
import io.wharf.core.error.BlobUploadInvalidException;
import io.wharf.core.error.BlobUploadUnknownException;
import io.wharf.core.error.DigestInvalidException;
import io.wharf.core.error.DigestMismatchException;
import io.wharf.core.error.ImageAlreadyExistsException;
import io.wharf.core.error.ImageTagImmutableException;
import io.wharf.core.error.LayerAlreadyExistsException;
import io.wharf.core.error.LayerInaccessibleException;
import io.wharf.core.error.LayerInvalidException;
import io.wharf.core.error.LayerPartInvalidException;
import io.wharf.core.error.LayerPartTooSmallException;
import io.wharf.core.error.LimitExceededException;
import io.wharf.core.error.TooManyUploadsException;
import io.wharf.core.error.ManifestBlobUnknownException;
import io.wharf.core.error.ManifestDamagedException;
import io.wharf.core.error.ManifestInvalidException;
import io.wharf.core.error.ManifestUnknownException;
import io.wharf.core.error.NameInvalidException;
import io.wharf.core.error.NameUnknownException;
import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.error.PolicyNotFoundException;
import io.wharf.core.error.PullThroughException;
import io.wharf.core.error.RangeNotSatisfiableException;
import io.wharf.core.error.ReferencedManifestUnknownException;
import io.wharf.core.error.RegistryException;
import io.wharf.core.error.RepositoryAlreadyExistsException;
import io.wharf.core.error.RepositoryNotEmptyException;
import io.wharf.core.error.SizeInvalidException;
import io.wharf.core.error.StorageFullException;
import io.wharf.core.error.StorageUnavailableException;
import io.wharf.core.error.TagInvalidException;
import io.wharf.core.error.TooLargeException;
import io.wharf.core.error.TooManyTagsException;
import io.wharf.core.error.UnsupportedException;
import io.wharf.core.error.UploadEmptyException;
import io.wharf.core.error.ScanNotFoundException;
import io.wharf.core.error.UnsupportedImageTypeException;
import io.wharf.core.error.ConfigurationInvalidException;
import io.wharf.core.error.CreationTemplateException;
import io.wharf.core.error.ImageNotTrustedException;
import io.wharf.server.http.ThrottledException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one mapping from domain failures to ECR {@code __type}s, and the one writer of ECR error bodies. */
final class EcrErrors {
    private EcrErrors() {
    }

    /**
     * @param call the operation being served, for messages that name the registry and repository;
     *             null when the failure came before the operation was known
     */
    static EcrProblem map(RegistryException e, EcrCall call) {
        EcrError error = switch (e) {
            case NameUnknownException x -> EcrError.RepositoryNotFoundException;
            case RepositoryAlreadyExistsException x -> EcrError.RepositoryAlreadyExistsException;
            case RepositoryNotEmptyException x -> EcrError.RepositoryNotEmptyException;
            case ManifestUnknownException x -> EcrError.ImageNotFoundException;
            case ImageAlreadyExistsException x -> EcrError.ImageAlreadyExistsException;
            case ImageTagImmutableException x -> EcrError.ImageTagAlreadyExistsException;
            case DigestMismatchException x -> EcrError.ImageDigestDoesNotMatchException;
            case BlobUnknownException x -> EcrError.LayersNotFoundException;
            case BlobDamagedException x -> EcrError.LayersNotFoundException;
            case ManifestDamagedException x -> EcrError.ImageNotFoundException;
            case ManifestBlobUnknownException x -> EcrError.LayersNotFoundException;
            case ReferencedManifestUnknownException x -> EcrError.ReferencedImagesNotFoundException;
            case LimitExceededException x -> EcrError.LimitExceededException;
            case TooManyUploadsException x -> EcrError.LimitExceededException;
            case TooLargeException x -> EcrError.LimitExceededException; // only layers reach the domain too large
            case TooManyTagsException x -> EcrError.TooManyTagsException;
            case PolicyNotFoundException x -> switch (x.kind()) {
                case REPOSITORY_POLICY -> EcrError.RepositoryPolicyNotFoundException;
                case REGISTRY_POLICY -> EcrError.RegistryPolicyNotFoundException;
                case LIFECYCLE_POLICY -> EcrError.LifecyclePolicyNotFoundException;
                case LIFECYCLE_POLICY_PREVIEW -> EcrError.LifecyclePolicyPreviewNotFoundException;
                case SIGNING_CONFIGURATION -> EcrError.SigningConfigurationNotFoundException;
                case SIGNATURE_POLICY -> EcrError.InvalidParameterException; // Wharf's own setting: no ECR operation reads it
            };
            case BlobUploadUnknownException x -> EcrError.UploadNotFoundException;
            case LayerInvalidException x -> EcrError.InvalidLayerException;
            case LayerPartInvalidException x -> EcrError.InvalidLayerPartException;
            case LayerAlreadyExistsException x -> EcrError.LayerAlreadyExistsException;
            case LayerInaccessibleException x -> EcrError.LayerInaccessibleException;
            case LayerPartTooSmallException x -> EcrError.LayerPartTooSmallException;
            case UploadEmptyException x -> EcrError.EmptyUploadException;
            case ScanNotFoundException x -> EcrError.ScanNotFoundException;
            case UnsupportedImageTypeException x -> EcrError.UnsupportedImageTypeException;
            case ConfigurationInvalidException x -> EcrError.ValidationException;
            case PullThroughException x -> switch (x.kind()) {
                case RULE_NOT_FOUND -> EcrError.PullThroughCacheRuleNotFoundException;
                case RULE_ALREADY_EXISTS -> EcrError.PullThroughCacheRuleAlreadyExistsException;
                case UNSUPPORTED_UPSTREAM -> EcrError.UnsupportedUpstreamRegistryException;
                case SECRET_NOT_FOUND -> EcrError.SecretNotFoundException;
                case SECRET_UNREADABLE -> EcrError.UnableToDecryptSecretValueException;
                case UPSTREAM_ACCESS_DENIED, UPSTREAM_TOO_MANY_REQUESTS, UPSTREAM_UNAVAILABLE ->
                        EcrError.UnableToGetUpstreamImageException;
            };
            case CreationTemplateException x -> x.kind() == CreationTemplateException.Kind.ALREADY_EXISTS
                    ? EcrError.TemplateAlreadyExistsException : EcrError.TemplateNotFoundException;
            case ParameterInvalidException x -> EcrError.InvalidParameterException;
            // BatchGetImage reports a refused image as a failure (ImageInaccessible); no operation throws this
            case ImageNotTrustedException x -> EcrError.InvalidParameterException;
            case BlobUploadInvalidException x -> EcrError.InvalidParameterException;
            case DigestInvalidException x -> EcrError.InvalidParameterException;
            case ManifestInvalidException x -> EcrError.InvalidParameterException;
            case NameInvalidException x -> EcrError.InvalidParameterException;
            case TagInvalidException x -> EcrError.InvalidParameterException;
            case SizeInvalidException x -> EcrError.InvalidParameterException;
            case RangeNotSatisfiableException x -> EcrError.InvalidParameterException;
            case UnsupportedException x -> EcrError.InvalidParameterException;
            // ECR models no storage errors: a server-side failure is its one fault shape (500, retried by SDKs)
            case StorageFullException x -> EcrError.ServerException;
            case StorageUnavailableException x -> EcrError.ServerException;
            case BodyIncompleteException x -> x.reason() == BodyIncompleteException.Reason.TIMED_OUT
                    ? EcrError.RequestTimeoutException : EcrError.SerializationException;
        };
        return new EcrProblem(error, message(e, call), extra(e, call));
    }

    /** Domain messages are protocol-neutral; a few ECR shapes have wording tools recognise. */
    private static String message(RegistryException e, EcrCall call) {
        String registry = call == null ? "" : call.account();
        return switch (e) {
            case NameUnknownException x -> "The repository with name '" + x.detail()
                    + "' does not exist in the registry with id '" + registry + "'";
            case BlobUploadUnknownException x -> "The upload with id '" + x.detail() + "' does not exist in the registry"
                    + " with id '" + registry + "'";
            case ManifestBlobUnknownException x -> "The following layers are not in the repository: " + x.detail();
            case ReferencedManifestUnknownException x -> "The following referenced images do not exist in the"
                    + " repository: " + x.detail();
            case ManifestInvalidException x -> "Invalid parameter at 'imageManifest' failed to satisfy constraint: '"
                    + x.getMessage() + (x.detail() == null ? "" : " (" + x.detail() + ")") + "'";
            default -> e.getMessage() + (e.detail() == null || e.getMessage().contains(e.detail()) ? "" : ": " + e.detail());
        };
    }

    private static Map<String, Object> extra(RegistryException e, EcrCall call) {
        if (!(e instanceof LayerPartInvalidException x) || call == null) {
            return Map.of();
        }
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("registryId", call.account());
        if (call.repo() != null) {
            members.put("repositoryName", call.repo().name().value());
        }
        members.put("uploadId", x.uploadId());
        members.put("lastValidByteReceived", x.lastValidByteReceived());
        return members;
    }

    /** An account over its request rate: ECR's wording, which the SDKs retry by its code. */
    static EcrProblem map(ThrottledException e) {
        return new EcrProblem(EcrError.ThrottlingException, "Rate exceeded");
    }

    /** {@code {"__type": "...", "message": "...", ...extra}} */
    static byte[] body(String type, String message, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", type);
        body.put("message", message);
        body.putAll(extra);
        return EcrJson.write(body);
    }
}
