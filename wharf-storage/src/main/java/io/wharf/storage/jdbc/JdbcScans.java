package io.wharf.storage.jdbc;

import io.wharf.core.spi.ScanIndex;

/** {@link ScanIndex} in the metadata database. */
final class JdbcScans implements ScanIndex {
    private final Jdbc jdbc;

    JdbcScans(Jdbc jdbc) {
        this.jdbc = jdbc;
    }
}
