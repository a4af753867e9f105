package io.wharf.core.remote;

import io.wharf.core.model.Digest;
import java.io.InputStream;
import java.util.Optional;

/**
 * One remote registry, spoken to over the OCI Distribution API. Repository names are the remote's own.
 * Thread-safe; tokens are cached and renewed inside. Every call is bounded by the client's timeouts and size caps.
 */
public interface RemoteRegistry {

    /** The manifest {@code reference} (tag or digest) names there, or empty when the remote says it does not exist. */
    Optional<RemoteManifest> manifest(String repository, String reference) throws RemoteException;

    /** The digest {@code reference} resolves to there (a HEAD), or empty when it does not exist. */
    Optional<Digest> resolve(String repository, String reference) throws RemoteException;

    /**
     * Starts downloading a blob; empty when the remote does not have it. The caller closes it. Its bytes are hashed as
     * they are read: a blob not matching {@code digest} (or its announced size) fails the last read.
     */
    Optional<RemoteBlob> blob(String repository, Digest digest) throws RemoteException;

    /**
     * As {@link #blob}, without hashing here: for a caller that hashes every byte itself and refuses a mismatch (an
     * upload into the store does), so that no byte is hashed twice.
     */
    Optional<RemoteBlob> unverifiedBlob(String repository, Digest digest) throws RemoteException;

    boolean hasBlob(String repository, Digest digest) throws RemoteException;

    /** Uploads {@code size} bytes that must hash to {@code digest} (a no-op when the remote already has it). */
    void pushBlob(String repository, Digest digest, long size, InputStream content) throws RemoteException;

    /** Stores the manifest under {@code reference} (a tag, or its digest). */
    void pushManifest(String repository, String reference, String mediaType, byte[] body) throws RemoteException;

    /** Checks that the registry answers and the credentials are accepted; the reason otherwise. */
    void ping() throws RemoteException;
}
