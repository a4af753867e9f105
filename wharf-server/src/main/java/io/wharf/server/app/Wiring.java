package io.wharf.server.app;

import io.wharf.core.service.Registry;
import io.wharf.core.spi.MetadataStore;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.oci.OciHandler;
import io.wharf.storage.fs.FileSystemBlobStore;
import io.wharf.storage.fs.FileSystemUploadStore;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import org.eclipse.jetty.server.Handler;

/** The single-node default: filesystem blobs and uploads plus SQLite metadata, all in the data directory. */
public final class Wiring {
    private Wiring() {
    }

    /** Opens (creating on first start) the storage in {@code config.data()} and wires the domain on top. */
    public static Backend open(WharfConfig config) throws IOException {
        Files.createDirectories(config.data());
        FileSystemBlobStore blobs = new FileSystemBlobStore(config.data());
        FileSystemUploadStore uploads = new FileSystemUploadStore(blobs);
        MetadataStore meta = SqliteMetadataStore.open(config.data());
        Registry registry = new Registry(meta, blobs, uploads, config.toRegistryLimits(), Clock.systemUTC());
        return new Backend(registry, meta);
    }

    /** The {@code /v2/} API for the configured account. */
    public static Handler ociHandler(Registry registry, WharfConfig config) {
        return new OciHandler(registry, config.account(), config.limits().maxNameLength());
    }
}
