package io.wharf.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Upload sessions: which repository an upload belongs to, how far it got, when it expires. */
public interface UploadIndex {

    void createUpload(UploadSession session);

    Optional<UploadSession> findUpload(String id);

    /** Records acknowledged progress and pushes the expiry out. */
    void updateUpload(String id, long offset, Instant expiresAt);

    void deleteUpload(String id);

    /** Part bookkeeping of an ECR layer upload; {@link UploadParts#NONE} for a session without parts. */
    UploadParts uploadParts(String id);

    void putUploadParts(String id, UploadParts parts);

    /** Sessions whose expiry is before {@code now}, at most {@code limit}. */
    List<UploadSession> expiredUploads(Instant now, int limit);
}
