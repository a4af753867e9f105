package io.wharf.core.service;

import io.wharf.core.spi.BlobLocks;
import io.wharf.core.spi.BlobStore;
import io.wharf.core.spi.EncryptionDomains;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.UploadLocks;
import io.wharf.core.spi.UploadStore;
import io.wharf.core.template.TemplateService;
import io.wharf.core.signature.SignatureService;
import io.wharf.core.signature.SignatureVerifier;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** The domain, wired: the services both wire protocols call. */
public final class Registry {
    private final MetadataStore meta;
    private final BlobService blobs;
    private final UploadService uploads;
    private final UploadSweeper uploadSweeper;
    private final ManifestService manifests;
    private final ListingService listings;
    private final RepositoryService repositoryService;
    private final GalleryService gallery;
    private final ImageService images;
    private final LayerService layers;
    private final LifecycleService lifecycle;
    private final LifecycleRunner lifecycleRunner;
    private final RegistryLimits limits;
    private final TemplateService templates;
    private final Quotas quotas;
    private final BlobIntegrity integrity;
    /** Every encryption domain's copies: what the collector deletes. */
    private final BlobStore gcStore;
    private final EncryptionDomains domains;
    private final BlobLocks blobLocks;
    private final Clock clock;
    /** Made once, by the first caller of {@link #signatures}: its caches serve every API. */
    private final AtomicReference<SignatureService> signatures = new AtomicReference<>();

    public Registry(MetadataStore meta, BlobStore blobStore, UploadStore uploadStore, RegistryLimits limits, Clock clock) {
        this(meta, blobStore, uploadStore, limits, Quotas.defaults(), true, clock);
    }

    /**
     * @param createOnPush whether a registry push may create a missing repository (OCI registries do; ECR does not)
     */
    public Registry(MetadataStore meta, BlobStore blobStore, UploadStore uploadStore, RegistryLimits limits,
                    Quotas quotas, boolean createOnPush, Clock clock) {
        this(meta, blobStore, uploadStore, limits, quotas, createOnPush, clock, Registry::logDamage);
    }

    /** @param damage told of every damaged blob or manifest the services find (the server logs them) */
    public Registry(MetadataStore meta, BlobStore blobStore, UploadStore uploadStore, RegistryLimits limits,
                    Quotas quotas, boolean createOnPush, Clock clock, Damage.Listener damage) {
        this(meta, blobStore, uploadStore, limits, quotas, createOnPush, clock, damage,
                new LocalBlobLocks(), new LocalUploadLocks());
    }

    /** @param blobLocks one process: {@link LocalBlobLocks}; nodes sharing a store: the database's locks */
    public Registry(MetadataStore meta, BlobStore blobStore, UploadStore uploadStore, BlobLocks blobLocks,
                    RegistryLimits limits, Quotas quotas, boolean createOnPush, Clock clock, Damage.Listener damage) {
        this(meta, blobStore, uploadStore, limits, quotas, createOnPush, clock, damage, blobLocks, new LocalUploadLocks());
    }

    /**
     * @param blobLocks   between committing blobs and collecting garbage; across nodes, the database's locks
     * @param uploadLocks between the steps of one upload; across nodes, the database's locks
     */
    public Registry(MetadataStore meta, BlobStore blobStore, UploadStore uploadStore, RegistryLimits limits,
                    Quotas quotas, boolean createOnPush, Clock clock, Damage.Listener damage,
                    BlobLocks blobLocks, UploadLocks uploadLocks) {
        this(meta, blobStore, uploadStore, limits, quotas, createOnPush, clock, damage, blobLocks, uploadLocks,
                EncryptionDomains.none(blobStore, uploadStore));
    }

    /**
     * @param domains where each repository's bytes live by its encryption setting; {@code blobStore} is then the
     *                plain domain's store and {@code uploadStore} reaches the uploads of every domain
     */
    public Registry(MetadataStore meta, BlobStore blobStore, UploadStore uploadStore, RegistryLimits limits,
                    Quotas quotas, boolean createOnPush, Clock clock, Damage.Listener damage,
                    BlobLocks blobLocks, UploadLocks uploadLocks, EncryptionDomains domains) {
        this.blobLocks = blobLocks;
        RegistryLimits effective = limits.withMaxBlobBytes(Math.min(limits.maxBlobBytes(), quotas.maxLayerBytes()));
        Repositories repositories = new Repositories(meta, clock, quotas, createOnPush);
        LinkedBlobs linked = new LinkedBlobs(meta, meta, clock);
        this.meta = meta;
        this.clock = clock;
        DomainIntegrity integrity = new DomainIntegrity(domains, new BlobIntegrity(blobStore, damage), damage);
        this.integrity = integrity.anyDomain();
        this.gcStore = domains.anyDomain();
        this.domains = domains;
        this.blobs = new BlobService(meta, linked, integrity, repositories);
        this.uploads = new UploadService(meta, uploadStore, domains, integrity, repositories, effective, blobLocks,
                uploadLocks, clock);
        this.uploadSweeper = new UploadSweeper(meta, uploadStore, uploads, effective, clock);
        this.manifests = new ManifestService(meta, meta, integrity, repositories, effective, quotas, clock, damage);
        this.listings = new ListingService(meta, repositories, effective);
        this.repositoryService = new RepositoryService(meta, repositories, quotas, clock);
        this.gallery = new GalleryService(meta, repositoryService, clock);
        this.images = new ImageService(meta, meta, repositories, manifests, clock);
        this.layers = new LayerService(meta, linked, repositories, uploads, quotas, integrity);
        this.lifecycle = new LifecycleService(meta, repositories, clock);
        this.lifecycleRunner = new LifecycleRunner(meta, repositories, images, clock);
        this.limits = effective;
        this.quotas = quotas;
        this.templates = new TemplateService(meta, clock, TemplateService.DEFAULT_MAX_TEMPLATES);
    }

    /** Without a listener of its own, damage goes to the JDK's logger (wharf-core has no logging library). */
    private static void logDamage(Damage damage) {
        System.getLogger("io.wharf.integrity").log(System.Logger.Level.WARNING, "damaged " + damage);
    }

    public BlobService blobs() {
        return blobs;
    }

    /**
     * The signatures and signature policies, one service for every API (its verdict cache is shared). The first call
     * makes it with the verifier it gives; later calls get that one: the application makes it where it opens the
     * registry, with the deployment's trust settings.
     */
    public SignatureService signatures(Supplier<SignatureVerifier> verifier) {
        SignatureService made = signatures.get();
        if (made == null) {
            signatures.compareAndSet(null, new SignatureService(meta, blobs, verifier.get(), clock));
            made = signatures.get();
        }
        return made;
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

    /** Whether a repository may be created with this encryption setting (its KMS key is in Wharf's key store). */
    public boolean encryptionApplies(io.wharf.core.model.Encryption encryption) {
        return domains.accepts(encryption);
    }

    public RepositoryService repositories() {
        return repositoryService;
    }

    /** Public repositories, catalog data and the gallery's search. */
    public GalleryService gallery() {
        return gallery;
    }

    public ImageService images() {
        return images;
    }

    /** Repository creation templates and account settings. */
    public TemplateService templates() {
        return templates;
    }

    public LayerService layers() {
        return layers;
    }

    /** Lifecycle policy previews and {@code lastEvaluatedAt}. */
    public LifecycleService lifecycle() {
        return lifecycle;
    }

    /** Carries lifecycle policies out; the application schedules {@link LifecycleRunner#runOnce()}. */
    public LifecycleRunner lifecycleRunner() {
        return lifecycleRunner;
    }

    /** A garbage collector over this registry's stores, sharing the uploads' {@link BlobLocks}. */
    public GarbageCollector garbageCollector(GarbageCollector.Settings settings) {
        return new GarbageCollector(meta, gcStore, blobLocks, settings, clock);
    }

    /** Checks of stored blobs, for the scrub and {@code wharf fsck}. */
    public BlobIntegrity integrity() {
        return integrity;
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
