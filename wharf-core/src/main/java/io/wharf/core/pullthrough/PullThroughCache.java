package io.wharf.core.pullthrough;

import io.wharf.core.error.BlobUnknownException;
import io.wharf.core.error.ManifestUnknownException;
import io.wharf.core.error.NameUnknownException;
import io.wharf.core.error.PullThroughException;
import io.wharf.core.error.PullThroughException.Kind;
import io.wharf.core.error.RegistryException;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.ManifestParser;
import io.wharf.core.model.Reference;
import io.wharf.core.model.Tag;
import io.wharf.core.remote.RemoteBlob;
import io.wharf.core.remote.RemoteException;
import io.wharf.core.remote.RemoteManifest;
import io.wharf.core.service.Registry;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import io.wharf.core.template.AppliedFor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pull path of repositories under a rule. A manifest the repository lacks (or a cached tag due for a check) is
 * fetched from the upstream and served from those bytes at once; storing it waits until its blobs (and an index's
 * children) are stored, in the background ({@link ImageImport}), so a stored manifest never names missing content.
 * A missing blob is streamed to the client while it is stored. Concurrent requests of this node for one manifest
 * or blob share one fetch ({@link SingleFlight}); nodes do not coordinate (two may each fetch once).
 */
public final class PullThroughCache {
    static final System.Logger LOG = System.getLogger("io.wharf.pullthrough");
    static final String IMPORT_ACTION = "ecr:BatchImportUpstreamImage";
    static final String CREATE_ACTION = "ecr:CreateRepository";

    /** Checks that the caller may take an IAM action on the repository; throws the protocol's refusal otherwise. */
    @FunctionalInterface
    public interface Authorizer {
        Authorizer NONE = action -> { };

        void require(String action);
    }

    /** Where a streamed blob goes: {@code begin} once with its size (-1: unknown), then its pieces in order. */
    public interface BlobSink {
        BlobSink DISCARD = new BlobSink() {
            @Override
            public void begin(long size) {
            }

            @Override
            public void write(ByteBuffer piece, boolean last) {
            }
        };

        void begin(long size) throws IOException;

        void write(ByteBuffer piece, boolean last) throws IOException;
    }

    private record FlightKey(String account, String repository, String reference) {
    }

    final Registry registry;
    final PullThroughService rules;
    final Clock clock;
    private final SingleFlight<FlightKey, RemoteManifest> manifestFlights = new SingleFlight<>();
    private final SingleFlight<FlightKey, Boolean> blobFlights = new SingleFlight<>();
    /** Manifests fetched and not stored yet: what a request arriving after the fetch's flight ended is served. */
    private final Map<FlightKey, RemoteManifest> importing = new ConcurrentHashMap<>();
    private final ImageImport imports;
    final ClientActivity clients = new ClientActivity();

    public PullThroughCache(Registry registry, PullThroughService rules, Clock clock) {
        this.registry = registry;
        this.rules = rules;
        this.clock = clock;
        this.imports = new ImageImport(this);
    }

    public Registry registry() {
        return registry;
    }

    public PullThroughService rules() {
        return rules;
    }

    public Optional<CacheRoute> route(RepoKey key) {
        return rules.route(key);
    }

    private MetadataStore meta() {
        return registry.metadata();
    }

    /**
     * The manifest to serve from the upstream, or empty when the stored one is to be served: the repository has
     * the digest; or the tag, confirmed within {@code tag-refresh} (unless {@code refresh}), or pushed here rather
     * than cached, or cached while the upstream does not answer.
     */
    public Optional<RemoteManifest> manifest(RepoKey key, CacheRoute route, Reference reference, boolean refresh,
                                             Authorizer auth) {
        Optional<Repository> repo = meta().findRepository(key.account(), key.name());
        Optional<Digest> local = repo.flatMap(r -> stored(r, reference));
        if (local.isPresent()) {
            if (!(reference instanceof Reference.ByTag(Tag tag)) || fresh(key, route, tag, local.get(), refresh)) {
                return Optional.empty();
            }
        }
        auth.require(IMPORT_ACTION);
        if (repo.isEmpty()) {
            auth.require(CREATE_ACTION);
        }
        try {
            return Optional.of(fetch(key, route, reference, true, local.isEmpty()));
        } catch (PullThroughException e) {
            if (local.isPresent()) {
                LOG.log(System.Logger.Level.WARNING, "serving cached " + key.name() + ":" + reference + ": its upstream failed: " + e.getMessage());
                return Optional.empty();
            }
            throw e;
        }
    }

    private Optional<Digest> stored(Repository repo, Reference reference) {
        return switch (reference) {
            case Reference.ByDigest(Digest d) -> meta().findManifest(repo.id(), d).map(m -> d);
            case Reference.ByTag(Tag t) -> meta().resolveTag(repo.id(), t);
        };
    }

    /** Whether the stored tag is served as it is (asking the upstream when due, and recording its answer). */
    private boolean fresh(RepoKey key, CacheRoute route, Tag tag, Digest local, boolean refresh) {
        Optional<Instant> checked = rules.index().tagCheckedAt(key.account(), key.name(), tag);
        Instant now = clock.instant();
        if (checked.isEmpty()) {
            return true; // pushed here, not cached: the upstream does not own it
        }
        if (!refresh && checked.get().plus(rules.settings().tagRefresh()).isAfter(now)) {
            return true;
        }
        try {
            Optional<Digest> upstream = rules.upstream(route.rule()).resolve(route.upstreamRepository(), tag.value());
            if (upstream.isPresent() && !upstream.get().equals(local)) {
                return false;
            }
            rules.index().tagChecked(key.account(), key.name(), tag, now); // same, or gone upstream: keep ours
        } catch (RemoteException | PullThroughException e) {
            LOG.log(System.Logger.Level.WARNING, "serving cached " + key.name() + ":" + tag + ": its upstream failed: " + e.getMessage());
        }
        return true;
    }

    /** An index's child for its import, which stores it (a client's concurrent request shares the fetch). */
    RemoteManifest fetchManifestOnly(RepoKey key, CacheRoute route, Digest digest) {
        return fetch(key, route, new Reference.ByDigest(digest), false, true);
    }

    /**
     * Fetches the manifest (once for concurrent callers), makes sure the repository exists, and with
     * {@code startImport} starts storing it. {@code joinImport}: one fetched moments ago and being stored will do
     * (not for a refresh, which must ask the upstream).
     */
    private RemoteManifest fetch(RepoKey key, CacheRoute route, Reference reference, boolean startImport,
                                 boolean joinImport) {
        FlightKey flight = new FlightKey(key.account(), key.name().value(), reference.toString());
        RemoteManifest beingStored = joinImport ? importing.get(flight) : null;
        if (beingStored != null) {
            return beingStored;
        }
        try {
            return manifestFlights.run(flight, () -> {
                RemoteManifest m = rules.upstream(route.rule()).manifest(route.upstreamRepository(), reference.toString())
                        .orElseThrow(() -> new ManifestUnknownException("manifest unknown to the upstream registry",
                                reference.toString()));
                if (reference instanceof Reference.ByDigest(Digest d) && !d.equals(m.digest())) {
                    throw new RemoteException(RemoteException.Kind.INVALID, "the upstream answered another digest");
                }
                createRepository(key);
                if (startImport) {
                    importing.put(flight, m);
                    imports.start(key, route, m, reference instanceof Reference.ByTag(Tag t) ? t : null,
                            () -> importing.remove(flight, m));
                }
                return m;
            }).value();
        } catch (RemoteException e) {
            imports.failed(key, route, null, reference, e.getMessage());
            throw upstreamFailure(e, "manifest", reference.toString());
        } catch (RegistryException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void createRepository(RepoKey key) {
        meta().inTransaction("create a pull-through cache repository",
                unit -> registry.repositories().createImplicitly(unit, key, AppliedFor.PULL_THROUGH_CACHE));
    }

    /** Whether the repository serves the blob from storage. */
    public boolean hasBlob(RepoKey key, Digest digest) {
        try {
            registry.blobs().stat(key, digest);
            return true;
        } catch (BlobUnknownException | NameUnknownException e) {
            return false;
        }
    }

    /** The size of a blob the repository lacks, as the upstream announces it (a HEAD). */
    public long blobSize(RepoKey key, CacheRoute route, Digest digest, Authorizer auth) {
        auth.require(IMPORT_ACTION);
        try (RemoteBlob blob = rules.upstream(route.rule()).blob(route.upstreamRepository(), digest)
                .orElseThrow(() -> unknownBlob(digest))) {
            return blob.size();
        } catch (RemoteException e) {
            throw upstreamFailure(e, "blob", digest.toString());
        } catch (IOException e) {
            throw upstreamFailure(new RemoteException(RemoteException.Kind.UNAVAILABLE, e.getMessage(), e), "blob",
                    digest.toString());
        }
    }

    /**
     * Streams a blob the repository lacks from the upstream to {@code sink} while storing it: true when this call
     * did; false when the repository has it (already, or now that a concurrent fetch stored it): serve it from storage.
     */
    public boolean blob(RepoKey key, CacheRoute route, Digest digest, BlobSink sink, Authorizer auth) throws IOException {
        if (hasBlob(key, digest)) {
            return false;
        }
        auth.require(IMPORT_ACTION);
        if (meta().findRepository(key.account(), key.name()).isEmpty()) {
            auth.require(CREATE_ACTION);
        }
        FlightKey flight = new FlightKey(key.account(), key.name().value(), digest.toString());
        boolean client = sink != BlobSink.DISCARD;
        if (client) {
            clients.begin(repositoryKey(key));
        }
        BlobFetch fetch = new BlobFetch(this, key, route, digest); // run by the flight's leader only
        try {
            SingleFlight.Outcome<Boolean> o = blobFlights.run(flight, () -> {
                if (hasBlob(key, digest)) {
                    return false; // a flight that ended between our check and now stored it
                }
                fetch.run(sink);
                return true;
            });
            return o.led() && o.value();
        } catch (Exception e) {
            if (client && fetch.served()) { // the client has the whole verified blob: only storing it failed
                LOG.log(System.Logger.Level.WARNING, "blob " + digest + " was served but not stored", e);
                return true;
            }
            throw blobFailure(e, digest);
        } finally {
            if (client) {
                clients.end(repositoryKey(key));
            }
        }
    }

    /** How a failed blob fetch reaches the caller: an upstream's failure in the protocol's terms, the rest as it is. */
    private RuntimeException blobFailure(Exception e, Digest digest) throws IOException {
        if (e instanceof RemoteException r) {
            return upstreamFailure(r, "blob", digest.toString());
        }
        if (e instanceof IOException io) {
            throw io;
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }

    static String repositoryKey(RepoKey key) {
        return key.account() + "/" + key.name().value();
    }

    /** Stores a blob the repository lacks (what an import does for the blobs no client asked for). */
    void storeBlob(RepoKey key, CacheRoute route, Digest digest) throws IOException {
        blob(key, route, digest, BlobSink.DISCARD, Authorizer.NONE);
    }

    boolean blobInFlight(RepoKey key, Digest digest) {
        return blobFlights.running(new FlightKey(key.account(), key.name().value(), digest.toString()));
    }

    static Manifest parse(RemoteManifest m) {
        return ManifestParser.parse(m.mediaType(), m.body());
    }

    static boolean storable(Descriptor d) {
        return !d.isExternal();
    }

    static BlobUnknownException unknownBlob(Digest digest) {
        return new BlobUnknownException("blob unknown to the upstream registry", digest.toString());
    }

    static PullThroughException upstreamFailure(RemoteException e, String what, String reference) {
        Kind kind = switch (e.kind()) {
            case ACCESS_DENIED -> Kind.UPSTREAM_ACCESS_DENIED;
            case TOO_MANY_REQUESTS -> Kind.UPSTREAM_TOO_MANY_REQUESTS;
            case NOT_FOUND, UNAVAILABLE, INVALID -> Kind.UPSTREAM_UNAVAILABLE;
        };
        return new PullThroughException(kind, "the upstream registry failed to serve the " + what + ": " + e.getMessage(),
                reference);
    }

    void emit(RegistryEvent event) {
        meta().inTransaction("record a pull-through cache event", unit -> {
            unit.emit(event, clock.instant());
            return null;
        });
    }
}
