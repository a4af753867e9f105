package io.wharf.server.console;

import io.wharf.core.error.BlobDamagedException;
import io.wharf.core.error.BlobUnknownException;
import io.wharf.core.error.BlobUploadInvalidException;
import io.wharf.core.error.BlobUploadUnknownException;
import io.wharf.core.error.BodyIncompleteException;
import io.wharf.core.error.ConfigurationInvalidException;
import io.wharf.core.error.CreationTemplateException;
import io.wharf.core.error.ImageNotTrustedException;
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
import io.wharf.core.error.ScanNotFoundException;
import io.wharf.core.error.SizeInvalidException;
import io.wharf.core.error.StorageFullException;
import io.wharf.core.error.StorageUnavailableException;
import io.wharf.core.error.TagInvalidException;
import io.wharf.core.error.TooLargeException;
import io.wharf.core.error.TooManyTagsException;
import io.wharf.core.error.TooManyUploadsException;
import io.wharf.core.error.UnsupportedException;
import io.wharf.core.error.UnsupportedImageTypeException;
import io.wharf.core.error.UploadEmptyException;

/** The console's one mapping from domain failures to the status of the error page that shows their message. */
final class ConsoleErrors {

    private ConsoleErrors() {
    }

    static int status(RegistryException e) {
        return switch (e) {
            case NameUnknownException x -> 404;
            case ManifestUnknownException x -> 404;
            case BlobUnknownException x -> 404;
            case ScanNotFoundException x -> 404;
            case PolicyNotFoundException x -> 404;
            case BlobUploadUnknownException x -> 404;
            case ReferencedManifestUnknownException x -> 404;
            case RepositoryAlreadyExistsException x -> 409;
            case RepositoryNotEmptyException x -> 409;
            case ImageAlreadyExistsException x -> 409;
            case ImageTagImmutableException x -> 409;
            case LayerAlreadyExistsException x -> 409;
            case TooLargeException x -> 413;
            case LimitExceededException x -> 429;
            case TooManyTagsException x -> 429;
            case TooManyUploadsException x -> 429;
            case StorageFullException x -> 503;
            case StorageUnavailableException x -> 503;
            case PullThroughException x -> 502;
            case BlobDamagedException x -> 500;
            case ManifestDamagedException x -> 500;
            case NameInvalidException x -> 400;
            case DigestInvalidException x -> 400;
            case TagInvalidException x -> 400;
            case ManifestInvalidException x -> 400;
            case ManifestBlobUnknownException x -> 400;
            case SizeInvalidException x -> 400;
            case RangeNotSatisfiableException x -> 400;
            case UnsupportedException x -> 400;
            case BlobUploadInvalidException x -> 400;
            case DigestMismatchException x -> 400;
            case LayerInvalidException x -> 400;
            case LayerInaccessibleException x -> 400;
            case UploadEmptyException x -> 400;
            case LayerPartTooSmallException x -> 400;
            case LayerPartInvalidException x -> 400;
            case ParameterInvalidException x -> 400;
            case BodyIncompleteException x -> 400;
            case UnsupportedImageTypeException x -> 400;
            case ConfigurationInvalidException x -> 400;
            case CreationTemplateException x -> 400;
            case ImageNotTrustedException x -> 403;
        };
    }
}
