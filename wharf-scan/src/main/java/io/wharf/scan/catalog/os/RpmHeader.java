package io.wharf.scan.catalog.os;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * An rpm header blob as the rpm databases store it (no lead, no {@code 8e ad e8 01} magic): big-endian
 * {@code il} index count, {@code dl} data length, {@code il} entries {tag, type, offset, count}, then the data.
 * Only the string and int32 tags the cataloger needs are decoded; every offset is bounds-checked.
 */
final class RpmHeader {

    static final int NAME = 1000;
    static final int VERSION = 1001;
    static final int RELEASE = 1002;
    static final int EPOCH = 1003;
    static final int LICENSE = 1014;
    static final int ARCH = 1022;
    static final int SOURCERPM = 1044;
    private static final int INT32 = 4;
    private static final int STRING = 6;
    private static final int STRING_ARRAY = 8;
    private static final int I18NSTRING = 9;
    private static final int MAX_ENTRIES = 65_536;

    private final Map<Integer, Object> values = new HashMap<>();

    private RpmHeader() {
    }

    /** The decoded header, or null when the blob is not a well-formed header. */
    static RpmHeader parse(byte[] blob) {
        if (blob == null || blob.length < 8) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(blob);
        int il = buffer.getInt(0);
        int dl = buffer.getInt(4);
        long dataStart = 8L + 16L * il;
        if (il <= 0 || il > MAX_ENTRIES || dl < 0 || dataStart + dl > blob.length) {
            return null;
        }
        RpmHeader header = new RpmHeader();
        for (int i = 0; i < il; i++) {
            int at = 8 + 16 * i;
            header.decode(blob, (int) dataStart, dl, buffer.getInt(at), buffer.getInt(at + 4),
                    buffer.getInt(at + 8), buffer.getInt(at + 12));
        }
        return header;
    }

    private void decode(byte[] blob, int dataStart, int dl, int tag, int type, int offset, int count) {
        if (tag < NAME || tag > SOURCERPM || offset < 0 || offset >= dl || count < 1) {
            return;
        }
        int at = dataStart + offset;
        int end = dataStart + dl;
        if (type == INT32 && at + 4 <= end) {
            values.put(tag, ByteBuffer.wrap(blob).getInt(at));
        } else if (type == STRING || type == STRING_ARRAY || type == I18NSTRING) {
            int nul = at;
            while (nul < end && blob[nul] != 0) {
                nul++;
            }
            if (nul < end) {
                values.put(tag, new String(blob, at, nul - at, StandardCharsets.UTF_8));
            }
        }
    }

    String string(int tag) {
        return values.get(tag) instanceof String s && !s.isEmpty() ? s : null;
    }

    Integer int32(int tag) {
        return values.get(tag) instanceof Integer i ? i : null;
    }
}
