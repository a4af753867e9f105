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
    private final ManifestService manifests;
    private final ListingService listings;
    private final RegistryLimits limits;

    public Registry(MetadataStore meta, BlobStore blobStore, UploadStore uploadStore, RegistryLimits limits, Clock clock) {
        Repositories repositories = new Repositories(meta, clock);
        this.meta = meta;
        this.blobs = new BlobService(meta, blobStore, repositories);
        this.uploads = new UploadService(meta, uploadStore, repositories, limits, clock);
        this.manifests = new ManifestService(meta, repositories, limits, clock);
        this.listings = new ListingService(meta, repositories, limits);
        this.limits = limits;
    }

    public BlobService blobs() {
        return blobs;
    }

    public UploadService uploads() {
        return uploads;
    }

    public ManifestService manifests() {
        return manifests;
    }

    public ListingService listings() {
        return listings;
    }

    public RegistryLimits limits() {
        return limits;
    }

    public boolean isHealthy() {
        return meta.isHealthy();
    }
}
