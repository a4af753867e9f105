package io.wharf.scan.layer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * A tar reader that refuses oversized metadata entries. commons-compress reads a PAX header or a GNU long
 * name wholly into memory, whatever size its header declares; a layer could declare gigabytes. Each header
 * record is checked before the library acts on it.
 */
final class BoundedTarInputStream extends TarArchiveInputStream {

    /** PAX extended/global headers, GNU long names and link names, Solaris extended headers. */
    private static final Set<Byte> METADATA_TYPES = Set.of((byte) 'x', (byte) 'g', (byte) 'L', (byte) 'K', (byte) 'X');
    private static final int TYPE_OFFSET = 156;
    private static final int SIZE_OFFSET = 124;
    private static final int SIZE_LENGTH = 12;

    private final long maxMetadataBytes;

    BoundedTarInputStream(InputStream in, long maxMetadataBytes) {
        super(in);
        this.maxMetadataBytes = maxMetadataBytes;
    }

    @Override
    protected byte[] readRecord() throws IOException {
        byte[] record = super.readRecord();
        if (record != null && record.length > TYPE_OFFSET && METADATA_TYPES.contains(record[TYPE_OFFSET])) {
            long size;
            try {
                size = TarUtils.parseOctalOrBinary(record, SIZE_OFFSET, SIZE_LENGTH);
            } catch (IllegalArgumentException e) {
                return record; // not a parsable header: the library reports it
            }
            if (size > maxMetadataBytes) {
                throw new IOException("tar metadata entry of " + size + " bytes (more than " + maxMetadataBytes + ")");
            }
        }
        return record;
    }
}
