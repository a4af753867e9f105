package io.wharf.server.ecr;

/**
 * The ECR error {@code __type}s Wharf sends, each with its HTTP status (one table, one place). AWS
 * JSON 1.1 services answer 400 for every client error and 500 for ServerException; the enum
 * constant's name is the exact shape name clients match on.
 */
public enum EcrError {
    InvalidParameterException,
    KmsException,
    ValidationException,
    SerializationException,
    UnknownOperationException,
    RepositoryNotFoundException,
    RepositoryAlreadyExistsException,
    RepositoryNotEmptyException,
    RepositoryPolicyNotFoundException,
    SigningConfigurationNotFoundException,
    RegistryPolicyNotFoundException,
    LifecyclePolicyNotFoundException,
    LifecyclePolicyPreviewNotFoundException,
    ImageNotFoundException,
    ImageAlreadyExistsException,
    ImageTagAlreadyExistsException,
    ImageDigestDoesNotMatchException,
    LayersNotFoundException,
    ReferencedImagesNotFoundException,
    LimitExceededException,
    TooManyTagsException,
    InvalidTagParameterException,
    UploadNotFoundException,
    InvalidLayerException,
    InvalidLayerPartException,
    LayerAlreadyExistsException,
    LayerInaccessibleException,
    LayerPartTooSmallException,
    EmptyUploadException,
    ScanNotFoundException,
    UnsupportedImageTypeException,
    PullThroughCacheRuleNotFoundException,
    PullThroughCacheRuleAlreadyExistsException,
    UnsupportedUpstreamRegistryException,
    SecretNotFoundException,
    UnableToDecryptSecretValueException,
    UnableToGetUpstreamImageException,
    TemplateAlreadyExistsException,
    TemplateNotFoundException,
    /**
     * An account over its request rate ({@code throttling.*}), and also what Wharf answers when the request bodies
     * in flight fill their memory budget; SDKs retry it.
     */
    ThrottlingException,
    /** Not in the model: what the AWS front end answers for a body over its limit. */
    RequestEntityTooLargeException(413),
    /** Not in the model: what the AWS front end answers for a request body that stalls. */
    RequestTimeoutException(408),
    ServerException(500);

    private final int status;

    EcrError() {
        this(400);
    }

    EcrError(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
