package io.wharf.core.service;

import io.wharf.core.spi.BlobStore;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.UploadStore;
import java.time.Clock;

/** The domain, wired: the services both wire protocols call. */
public final class Registry {
    private final MetadataStore meta;
    private final BlobService blobs;
    private final UploadService uploads;
    private final UploadSweeper uploadSweeper;
    private final ManifestService manifests;
    private final ListingService listings;
    private final RepositoryService repositoryService;
    private final ImageService images;
    private final LayerService layers;
    private final RegistryLimits limits;
    private final Quotas quotas;

    public Registry(MetadataStore meta, BlobStore blobStore, UploadStore uploadStore, RegistryLimits limits, Clock clock) {
        this(meta, blobStore, uploadStore, limits, Quotas.defaults(), true, clock);
    }

    /**
     * @param createOnPush whether a registry push may create a missing repository (OCI registries do; ECR does not)
     */
    public Registry(MetadataStore meta, BlobStore blobStore, UploadStore uploadStore, RegistryLimits limits,
                    Quotas quotas, boolean createOnPush, Clock clock) {
        RegistryLimits effective = limits.withMaxBlobBytes(Math.min(limits.maxBlobBytes(), quotas.maxLayerBytes()));
        Repositories repositories = new Repositories(meta, clock, quotas, createOnPush);
        this.meta = meta;
        this.blobs = new BlobService(meta, blobStore, repositories);
        this.uploads = new UploadService(meta, uploadStore, repositories, effective, clock);
        this.uploadSweeper = new UploadSweeper(meta, uploadStore, uploads, effective, clock);
        this.manifests = new ManifestService(meta, repositories, effective, quotas, clock);
        this.listings = new ListingService(meta, repositories, effective);
        this.repositoryService = new RepositoryService(meta, repositories, quotas, clock);
        this.images = new ImageService(meta, repositories, manifests);
        this.layers = new LayerService(meta, repositories, uploads, quotas);
        this.limits = effective;
        this.quotas = quotas;
    }

    public BlobService blobs() {
        return blobs;
    }

    public UploadService uploads() {
        return uploads;
    }

    /** Frees abandoned uploads; the application runs it at start-up and every {@link UploadSweeper#interval()}. */
    public UploadSweeper uploadSweeper() {
        return uploadSweeper;
    }

    public ManifestService manifests() {
        return manifests;
    }

    public ListingService listings() {
        return listings;
    }

    public RepositoryService repositories() {
        return repositoryService;
    }

    public ImageService images() {
        return images;
    }

    public LayerService layers() {
        return layers;
    }

    public RegistryLimits limits() {
        return limits;
    }

    public Quotas quotas() {
        return quotas;
    }

    /** The metadata store, for the authorization layer (policies) and health checks. */
    public MetadataStore metadata() {
        return meta;
    }

    public boolean isHealthy() {
        return meta.isHealthy();
    }
}
