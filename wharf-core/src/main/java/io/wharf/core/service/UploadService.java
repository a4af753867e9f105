package io.wharf.core.service;

import io.wharf.core.error.BlobUploadUnknownException;
import io.wharf.core.error.DigestInvalidException;
import io.wharf.core.error.RangeNotSatisfiableException;
import io.wharf.core.error.SizeInvalidException;
import io.wharf.core.error.StorageFullException;
import io.wharf.core.error.StorageUnavailableException;
import io.wharf.core.error.TooManyUploadsException;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.BlobLocks;
import io.wharf.core.spi.EncryptionDomains;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.UploadLocks;
import io.wharf.core.spi.UploadSession;
import io.wharf.core.spi.UploadStore;
import io.wharf.core.template.AccountSetting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Blob uploads: monolithic, chunked, streamed, and cross-repository mounts. Both the OCI upload
 * routes and (later) ECR's layer-part operations drive this one service.
 *
 * <p>Bytes are hashed once while streaming; the running hash lives in memory and is rebuilt from
 * storage when missing (after a restart, or on another node). A session's acknowledged offset is
 * metadata; storage bytes past it are an interrupted chunk and are overwritten by the next one.
 */
public final class UploadService {
    /** How many holders of a blob an automatic mount considers (each is authorized for the caller). */
    static final int MOUNT_CANDIDATES = 50;

    private final MetadataStore meta;
    private final UploadStore uploads;
    private final DomainIntegrity integrity;
    private final EncryptionDomains domains;
    private final Repositories repositories;
    private final RegistryLimits limits;
    private final Clock clock;
    private final BlobLocks blobLocks;
    private final Map<String, UploadState> states = new ConcurrentHashMap<>();
    private final UploadLocks uploadLocks;
    /** Requests of this process holding or awaiting each upload's lock (the sweep leaves those uploads alone). */
    private final Map<String, Integer> active = new ConcurrentHashMap<>();
    /** The uploads whose lock the current thread holds, so that nested steps do not take it again. */
    private final ThreadLocal<Set<String>> held = ThreadLocal.withInitial(HashSet::new);

    UploadService(MetadataStore meta, UploadStore uploads, EncryptionDomains domains, DomainIntegrity integrity,
                  Repositories repositories, RegistryLimits limits, BlobLocks blobLocks, UploadLocks uploadLocks, Clock clock) {
        this.meta = meta;
        this.uploadLocks = uploadLocks;
        this.uploads = uploads;
        this.blobLocks = blobLocks;
        this.integrity = integrity;
        this.domains = domains;
        this.repositories = repositories;
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * Opens a new upload session in the repository (creating the repository on first push) for
     * {@code owner}, who may hold only so many open sessions.
     */
    public UploadStatus start(RepoKey key, String owner) {
        Repository repo = repositories.forWrite(key);
        Instant now = clock.instant();
        String id = open(key, repo, owner, expiry(now, now));
        states.put(id, new UploadState(UploadHash.fresh(uploadLocks.acrossProcesses()), 0));
        return new UploadStatus(id, 0);
    }

    /**
     * Records the session (counted against the caps) before its bytes exist, so that bytes without a
     * session are never live and the sweep may remove them.
     */
    private String open(RepoKey key, Repository repo, String owner, Instant expiresAt) {
        String id = UUID.randomUUID().toString();
        UploadLimits caps = limits.uploads();
        UploadSession session = new UploadSession(id, repo.id(), 0, clock.instant(), expiresAt, owner);
        switch (meta.createUpload(session, caps.maxOpenPerOwner(), caps.maxOpen())) {
            case OPENED -> { }
            case REPOSITORY_UNKNOWN -> throw Repositories.unknown(key);
            case OWNER_LIMIT -> throw new TooManyUploadsException("too many open uploads: at most "
                    + caps.maxOpenPerOwner() + " per caller; finish or cancel some first", null);
            case REGISTRY_LIMIT -> throw new TooManyUploadsException("too many open uploads: the registry holds at most "
                    + caps.maxOpen() + "; try again later", null);
        }
        try {
            domains.createUpload(id, repo.settings().encryption());
        } catch (IOException e) {
            meta.deleteUpload(id);
            throw new UncheckedIOException(e);
        }
        return id;
    }

    /** Idle timeout from {@code now}, but never past the session's absolute lifetime. */
    private Instant expiry(Instant startedAt, Instant now) {
        Instant idle = now.plus(limits.uploadTimeout());
        Instant end = startedAt.plus(limits.uploads().maxLifetime());
        return idle.isBefore(end) ? idle : end;
    }

    /**
     * Links {@code digest} into the repository from {@code from}, or, with no {@code from} and automatic
     * mounting on, from a repository that holds it and the caller may read. Otherwise opens an upload
     * session, so the answer tells nothing about blobs the caller cannot see.
     *
     * @param mayRead whether the caller may read blobs of a repository (the caller's own authorization;
     *                an explicit {@code from} was authorized before the call, and is checked again here)
     */
    public MountResult mount(RepoKey key, String owner, Digest digest, RepositoryName from,
                             Predicate<RepositoryName> mayRead) {
        Repository repo = repositories.forWrite(key);
        for (RepositoryName source : mountSources(key.account(), digest, from)) {
            Optional<Repository> holder = mayRead.test(source) ? meta.findRepository(key.account(), source) : Optional.empty();
            if (holder.isPresent() && meta.linkBlob(holder.get().id(), repo.id(), digest, clock.instant())) {
                inDomainOf(repo, digest);
                return new MountResult.Mounted(digest);
            }
        }
        return new MountResult.UploadStarted(start(key, owner));
    }

    /**
     * Makes the target's copy of a just-mounted blob when it reads from another encryption domain than the source, so
     * that the re-encryption happens now rather than on the first pull. A failure leaves it to that first read.
     */
    private void inDomainOf(Repository repo, Digest digest) {
        try {
            meta.blobSize(digest).ifPresent(size -> integrity.of(repo).isStored(digest, size));
        } catch (UncheckedIOException e) {
            System.getLogger("io.wharf.integrity").log(System.Logger.Level.WARNING,
                    "copying " + digest + " into the domain of " + repo.name() + " failed; its first read retries", e);
        }
    }

    /**
     * Where a mount may link from. With automatic mounting off, a mount without {@code from} always opens
     * a session, even when the target already holds the blob: the OCI conformance suite checks exactly that.
     * A blob whose bytes are missing or damaged is not mounted: the session that opens instead is how it
     * gets repaired. The account setting BLOB_MOUNTING DISABLED turns mounts into plain uploads.
     */
    private List<RepositoryName> mountSources(String account, Digest digest, RepositoryName from) {
        if ("DISABLED".equals(AccountSetting.BLOB_MOUNTING.valueIn(meta.templates(), account))) {
            return List.of();
        }
        OptionalLong size = meta.blobSize(digest);
        if (size.isEmpty() || !integrity.anyDomain().isStored(digest, size.getAsLong())) {
            return List.of();
        }
        if (from != null) {
            return List.of(from);
        }
        return limits.automaticMount() ? meta.repositoriesHolding(account, digest, MOUNT_CANDIDATES) : List.of();
    }

    /** Current state of a session. */
    public UploadStatus status(RepoKey key, String uploadId) {
        UploadSession s = session(key, uploadId);
        return new UploadStatus(s.id(), s.offset());
    }

    /**
     * Appends a chunk. With {@code rangeStart} (from Content-Range) the chunk must start exactly
     * where the upload ends; a streamed PATCH has none and simply appends.
     */
    public UploadStatus append(RepoKey key, String uploadId, Long rangeStart, Long declaredLength, BodySource body) {
        return locked(uploadId, () -> {
            UploadSession s = session(key, uploadId);
            if (rangeStart != null && rangeStart != s.offset()) {
                throw new RangeNotSatisfiableException("chunk does not start at the end of the upload", s.offset());
            }
            long offset = write(s, declaredLength, body);
            return new UploadStatus(uploadId, offset);
        });
    }

    /** Finishes an upload with an optional last chunk; the blob becomes visible only if it hashes to {@code digest}. */
    public Digest complete(RepoKey key, String uploadId, Digest digest, Long rangeStart, Long declaredLength, BodySource body) {
        return locked(uploadId, () -> {
            UploadSession s = session(key, uploadId);
            if (rangeStart != null && rangeStart != s.offset()) {
                throw new RangeNotSatisfiableException("chunk does not start at the end of the upload", s.offset());
            }
            long size = write(s, declaredLength, body);
            verify(uploadId, digest, size, () -> states.get(uploadId).peekDigest());
            publish(key, s.repositoryId(), uploadId, size, digest);
            forget(uploadId);
            deleteFinished(uploadId);
            return digest;
        });
    }

    /**
     * A whole blob in one request ({@code POST ?digest=}): no session is exposed, but one is recorded
     * (owner, expiry kept fresh while bytes flow) so that it counts against the caps and the sweep leaves
     * its bytes alone until it stalls for the upload timeout or outlives its maximum lifetime.
     */
    public Digest putMonolithic(RepoKey key, String owner, Digest digest, Long declaredLength, BodySource body) {
        Repository repo = repositories.forWrite(key);
        Instant start = clock.instant();
        String id = open(key, repo, owner, expiry(start, start));
        MessageDigest hash = Digest.Algorithm.SHA256.newMessageDigest();
        try {
            long size;
            try (WritableByteChannel out = new KeepAliveChannel(uploads.append(id, 0), clock,
                    UploadSweeper.interval(limits.uploadTimeout()),
                    () -> meta.updateUpload(id, 0, 0, expiry(start, clock.instant()), null))) {
                // one request, never resumed: the JDK's faster hash, no state to save
                size = HashingCopier.copy(body, out, hash::update, 0, limits.maxBlobBytes());
            }
            checkDeclared(declaredLength, size);
            verify(id, digest, size, hash::digest);
            body.verified();
            publish(key, repo.id(), id, size, digest);
        } catch (NoSuchFileException e) {
            throw gone(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            dropBytesQuietly(id);
            deleteFinished(id); // the session row: what matters is the answer about the blob
        }
        return digest;
    }

    /**
     * Drops the bytes of a finished or failed monolithic upload. A failure here (the storage down) must neither hide
     * the answer about the blob nor keep the session row, which would count against the caller's open uploads until
     * it expired: bytes left without a session are removed by the upload sweep.
     */
    private void dropBytesQuietly(String uploadId) {
        try {
            dropBytes(uploadId);
        } catch (RuntimeException e) {
            forget(uploadId);
        }
    }

    /**
     * Cancels a session and drops its bytes. The bytes go first: cancelling is how a client frees the space of
     * an upload that filled the disk, when the database may not take the row's deletion until it is freed.
     */
    public void cancel(RepoKey key, String uploadId) {
        locked(uploadId, () -> {
            session(key, uploadId);
            discard(uploadId);
            return null;
        });
    }

    /**
     * Drops a session's bytes, in-memory state and row; the sweep and expiry use it too. The bytes go first, so
     * that freeing them never waits on a database that may need that very space to record the deletion.
     */
    void discard(String uploadId) {
        dropBytes(uploadId);
        meta.deleteUpload(uploadId);
    }

    private void dropBytes(String uploadId) {
        io(() -> uploads.delete(uploadId));
        forget(uploadId);
    }

    /** Whether a request of this process holds or awaits the upload now (cached hash state alone is not activity). */
    boolean isActive(String uploadId) {
        return active.containsKey(uploadId);
    }

    private long write(UploadSession s, Long declaredLength, BodySource body) {
        UploadState state = state(s);
        long copied;
        try (WritableByteChannel out = uploads.append(s.id(), s.offset())) {
            copied = HashingCopier.copy(body, out, state.sha256::update, s.offset(), limits.maxBlobBytes());
        } catch (NoSuchFileException e) {
            states.remove(s.id());
            throw new BlobUploadUnknownException("upload data is gone", s.id());
        } catch (IOException | RuntimeException e) {
            throw unacknowledged(s, e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e);
        }
        if (declaredLength != null && declaredLength != copied) {
            throw unacknowledged(s, new SizeInvalidException("chunk length does not match Content-Length or Content-Range", null));
        }
        long offset = s.offset() + copied;
        if (copied > 0) {
            acknowledge(s, offset, state.sha256.state());
        }
        state.offset = offset;
        return offset;
    }

    /**
     * Records the new offset with the hash state after it, as a compare-and-set on the offset the chunk started at.
     * It fails when the session is gone (expired or cancelled while the chunk streamed), or when another writer
     * moved the offset: the upload locks should make that impossible, but if they ever failed, both writers wrote
     * into the same bytes, so neither chunk can be trusted and the session is dropped (the client starts again)
     * rather than let a verified hash stand for other bytes.
     */
    private void acknowledge(UploadSession s, long offset, byte[] hashState) {
        boolean recorded;
        try {
            recorded = meta.updateUpload(s.id(), s.offset(), offset, expiry(s.startedAt(), clock.instant()), hashState);
        } catch (RuntimeException e) {
            throw unacknowledged(s, e);
        }
        if (recorded) {
            return;
        }
        states.remove(s.id());
        if (meta.findUpload(s.id()).isPresent()) {
            discard(s.id());
            throw new BlobUploadUnknownException("upload was written concurrently by another request; start it again", s.id());
        }
        throw gone(s.id());
    }

    /**
     * A chunk failed before it was acknowledged: the running hash saw its bytes, so it goes, and so do the
     * bytes (opening the upload at the acknowledged offset truncates there), giving back the space they took.
     */
    private RuntimeException unacknowledged(UploadSession s, RuntimeException failure) {
        states.remove(s.id());
        try (WritableByteChannel truncated = uploads.append(s.id(), s.offset())) {
            // nothing to write
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    /**
     * The blob is committed and recorded, so the answer is success whatever happens here: a session row the
     * storage cannot delete now points at no bytes, and expires.
     */
    private void deleteFinished(String uploadId) {
        try {
            meta.deleteUpload(uploadId);
        } catch (StorageFullException | StorageUnavailableException e) {
            // reported by the store
        }
    }

    /** @param sha256 the SHA-256 of the upload's bytes, asked for only when {@code expected} is one */
    private void verify(String uploadId, Digest expected, long size, Supplier<byte[]> sha256) {
        byte[] actual;
        if (expected.algorithm() == Digest.Algorithm.SHA256) {
            actual = sha256.get();
        } else {
            MessageDigest other = expected.newMessageDigest();
            io(() -> {
                try (ReadableByteChannel in = uploads.read(uploadId)) {
                    HashingCopier.hash(in, other::update, size);
                }
            });
            actual = other.digest();
        }
        if (!Digest.of(expected.algorithm(), actual).equals(expected)) {
            throw new DigestInvalidException("provided digest did not match uploaded content", expected.toString());
        }
    }

    /**
     * Commits the bytes, then records them, under the digest's lock: the garbage collector deletes a file only
     * under it and only while no row names it, so the row written here never names a file deleted meanwhile. A
     * repository deleted meanwhile gets the blob recorded but not linked (so no file is left without a row) and
     * the upload fails as for an unknown repository.
     */
    private void publish(RepoKey key, long repositoryId, String uploadId, long size, Digest digest) {
        boolean[] linked = {false};
        blobLocks.run(digest, () -> {
            try {
                uploads.commit(uploadId, size, digest);
            } catch (NoSuchFileException e) {
                throw gone(uploadId); // the sweep removed an expired upload under us
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            linked[0] = meta.addBlob(repositoryId, digest, size, clock.instant());
        });
        if (!linked[0]) {
            forget(uploadId); // the session row went with the repository, the bytes with the commit
            throw Repositories.unknown(key);
        }
    }

    /** The live session; an expired one is dropped on sight, freeing its bytes before the sweep comes. */
    private UploadSession session(RepoKey key, String uploadId) {
        Repository repo = repositories.require(key);
        UploadSession s = meta.findUpload(uploadId)
                .filter(found -> found.repositoryId() == repo.id())
                .orElseThrow(() -> gone(uploadId));
        if (!s.expiresAt().isAfter(clock.instant())) {
            discard(uploadId);
            throw gone(uploadId);
        }
        return s;
    }

    private static BlobUploadUnknownException gone(String uploadId) {
        return new BlobUploadUnknownException("blob upload unknown to registry", uploadId);
    }

    /**
     * The running hash at the session's offset: cached, else restored from the state saved with the offset (after a
     * restart, or on another node), else (no state saved, as for sessions from older versions) rebuilt from the bytes.
     */
    private UploadState state(UploadSession s) {
        UploadState cached = states.get(s.id());
        if (cached != null && cached.offset == s.offset()) {
            return cached;
        }
        io(() -> {
            if (uploads.length(s.id()) < s.offset()) {
                // unsynced chunk bytes lost to a power failure: the session cannot resume
                throw new BlobUploadUnknownException("upload data was lost; start the upload again", s.id());
            }
        });
        UploadState found = new UploadState(restored(s).orElseGet(() -> rebuilt(s)), s.offset());
        states.put(s.id(), found);
        return found;
    }

    private Optional<UploadHash> restored(UploadSession s) {
        return meta.uploadCheckpoint(s.id())
                .filter(c -> c.offset() == s.offset() && c.hashState() != null)
                .flatMap(c -> {
                    try {
                        return Optional.of(ResumableSha256.restore(c.hashState()));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty(); // not a state this version can read: rebuild it
                    }
                });
    }

    private UploadHash rebuilt(UploadSession s) {
        UploadHash sha = UploadHash.fresh(uploadLocks.acrossProcesses());
        io(() -> {
            try (ReadableByteChannel in = uploads.read(s.id())) {
                HashingCopier.hash(in, sha::update, s.offset());
            }
        });
        return sha;
    }

    private static void checkDeclared(Long declaredLength, long size) {
        if (declaredLength != null && declaredLength != size) {
            throw new SizeInvalidException("body length does not match Content-Length", null);
        }
    }

    /**
     * Runs {@code action} holding the upload's lock (reentrant), so that the steps of one upload never
     * interleave; the ECR layer-part operations take it too, around their own bookkeeping.
     */
    <T> T locked(String uploadId, Supplier<T> action) {
        Set<String> mine = held.get();
        if (mine.contains(uploadId)) {
            return action.get(); // this thread holds it already: the SPI's locks need not be reentrant
        }
        active.merge(uploadId, 1, Integer::sum);
        try {
            return uploadLocks.run(uploadId, () -> {
                mine.add(uploadId);
                try {
                    return action.get();
                } finally {
                    mine.remove(uploadId);
                }
            });
        } finally {
            active.computeIfPresent(uploadId, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    private void forget(String uploadId) {
        states.remove(uploadId);
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void io(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
