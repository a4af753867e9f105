package io.wharf.core.spi;

import java.time.Instant;
import java.util.Optional;

/** Policies and configurations kept as documents, per repository or per account. */
public interface DocumentIndex {

    Optional<StoredDocument> repositoryDocument(long repositoryId, DocumentKind kind);

    /** Creates or replaces. False (nothing written) when the repository is gone. */
    boolean putRepositoryDocument(long repositoryId, DocumentKind kind, String text, Instant now);

    /** False when there was none. */
    boolean deleteRepositoryDocument(long repositoryId, DocumentKind kind);

    Optional<StoredDocument> accountDocument(String account, DocumentKind kind);

    void putAccountDocument(String account, DocumentKind kind, String text, Instant now);

    boolean deleteAccountDocument(String account, DocumentKind kind);
}
