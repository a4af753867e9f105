package io.wharf.core.error;

/**
 * Every failure the domain reports. Sealed so that each wire protocol maps all of them in one
 * exhaustive switch (see the server's OCI and ECR error mappers); no handler builds an error body.
 */
public abstract sealed class RegistryException extends RuntimeException
        permits BlobUnknownException, BlobUploadUnknownException, BlobUploadInvalidException,
        DigestInvalidException, ManifestUnknownException, ManifestInvalidException,
        ManifestBlobUnknownException, NameInvalidException, NameUnknownException, TagInvalidException,
        SizeInvalidException, RangeNotSatisfiableException, UnsupportedException, TooLargeException,
        RepositoryAlreadyExistsException, RepositoryNotEmptyException, ImageAlreadyExistsException,
        ImageTagImmutableException, ReferencedManifestUnknownException, LimitExceededException,
        TooManyTagsException, PolicyNotFoundException, DigestMismatchException, LayerInvalidException,
        LayerAlreadyExistsException, LayerInaccessibleException, UploadEmptyException,
        LayerPartTooSmallException, LayerPartInvalidException, ParameterInvalidException,
        StorageFullException, StorageUnavailableException, BlobDamagedException, ManifestDamagedException,
        BodyIncompleteException, TooManyUploadsException, ScanNotFoundException, UnsupportedImageTypeException,
        ConfigurationInvalidException,
        PullThroughException,
        CreationTemplateException, ImageNotTrustedException {

    private final String detail;

    protected RegistryException(String message, String detail) {
        super(message);
        this.detail = detail;
    }

    /** A value worth echoing back to the client (a digest, a name), or null. */
    public String detail() {
        return detail;
    }
}
