package io.wharf.server.pullthrough;

import io.wharf.core.model.Digest;
import io.wharf.core.remote.RemoteBlob;
import io.wharf.core.remote.RemoteCredentials;
import io.wharf.core.remote.RemoteException;
import io.wharf.core.remote.RemoteManifest;
import io.wharf.core.remote.RemoteRegistries;
import io.wharf.core.remote.RemoteRegistry;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Passes every call to the real client, counting the manifest and blob downloads per reference. */
final class CountingRemotes implements RemoteRegistries {
    private final RemoteRegistries real;
    private final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();

    CountingRemotes(RemoteRegistries real) {
        this.real = real;
    }

    int fetches(String reference) {
        AtomicInteger n = fetches.get(reference);
        return n == null ? 0 : n.get();
    }

    private void count(String reference) {
        fetches.computeIfAbsent(reference, r -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public RemoteRegistry open(URI endpoint, RemoteCredentials credentials, Map<String, String> headers) {
        RemoteRegistry r = real.open(endpoint, credentials, headers);
        return new RemoteRegistry() {
            @Override
            public Optional<RemoteManifest> manifest(String repository, String reference) throws RemoteException {
                count(reference);
                return r.manifest(repository, reference);
            }

            @Override
            public Optional<Digest> resolve(String repository, String reference) throws RemoteException {
                return r.resolve(repository, reference);
            }

            @Override
            public Optional<RemoteBlob> blob(String repository, Digest digest) throws RemoteException {
                count(digest.toString());
                return r.blob(repository, digest);
            }

            @Override
            public Optional<RemoteBlob> unverifiedBlob(String repository, Digest digest) throws RemoteException {
                count(digest.toString());
                return r.unverifiedBlob(repository, digest);
            }

            @Override
            public boolean hasBlob(String repository, Digest digest) throws RemoteException {
                return r.hasBlob(repository, digest);
            }

            @Override
            public void pushBlob(String repository, Digest digest, long size, InputStream content) throws RemoteException {
                r.pushBlob(repository, digest, size, content);
            }

            @Override
            public void pushManifest(String repository, String reference, String mediaType, byte[] body)
                    throws RemoteException {
                r.pushManifest(repository, reference, mediaType, body);
            }

            @Override
            public void ping() throws RemoteException {
                r.ping();
            }
        };
    }
}
