package io.wharf.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Upload sessions: which repository an upload belongs to, how far it got, when it expires. */
public interface UploadIndex {

    /**
     * Opens the session unless its owner already holds {@code maxOpenPerOwner} or the registry
     * {@code maxOpen} sessions not expired at {@code session.startedAt()}, or its repository is gone;
     * check and insert are one atomic step, so concurrent opens cannot overshoot a cap.
     */
    UploadAdmission createUpload(UploadSession session, int maxOpenPerOwner, int maxOpen);

    Optional<UploadSession> findUpload(String id);

    /**
     * Records acknowledged progress with the hash state after it, and pushes the expiry out, as one compare-and-set:
     * only while the session's offset is still {@code expectedOffset}. False when the session is gone (expired,
     * cancelled) or another writer moved its offset meanwhile; then nothing changed.
     *
     * @param hashState the encoded running hash after {@code newOffset} bytes, or null for none
     */
    boolean updateUpload(String id, long expectedOffset, long newOffset, Instant expiresAt, byte[] hashState);

    /** The session's acknowledged offset with the hash state saved with it; empty when the session is gone. */
    Optional<UploadCheckpoint> uploadCheckpoint(String id);

    void deleteUpload(String id);

    /** Part bookkeeping of an ECR layer upload; {@link UploadParts#NONE} for a session without parts. */
    UploadParts uploadParts(String id);

    void putUploadParts(String id, UploadParts parts);

    /** How many sessions are open (not expired) at {@code now}: the upload-sessions gauge of /metrics. */
    long openUploads(Instant now);

    /** Sessions whose expiry is before {@code now}, at most {@code limit}. */
    List<UploadSession> expiredUploads(Instant now, int limit);
}
