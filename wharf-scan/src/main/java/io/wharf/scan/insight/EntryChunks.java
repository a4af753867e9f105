package io.wharf.scan.insight;

import io.wharf.core.spi.InsightIndex.Chunk;
import io.wharf.scan.insight.InsightEntry.Type;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A layer's path-ordered entries cut into chunks of at most {@code maxEntries} entries and about
 * {@value #MAX_CHUNK_BYTES} bytes before compression, each stored as gzip'd binary records: a layer of any size
 * becomes many bounded rows, and a tree request reads only the chunks whose path range it needs.
 */
final class EntryChunks {
    /** A chunk is closed once its records pass this many bytes (before compression). */
    static final int MAX_CHUNK_BYTES = 1 << 20;
    /** A stored chunk inflating beyond this is not one of ours. */
    private static final int MAX_DECODED_BYTES = 64 << 20;
    private static final Type[] TYPES = Type.values();

    private EntryChunks() {
    }

    static List<Chunk> encode(List<InsightEntry> entries, int maxEntries) {
        List<Chunk> chunks = new ArrayList<>();
        int start = 0;
        while (start < entries.size()) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(raw);
            int end = start;
            while (end < entries.size() && end - start < maxEntries && raw.size() < MAX_CHUNK_BYTES) {
                write(out, entries.get(end++));
            }
            chunks.add(new Chunk(chunks.size(), entries.get(start).path(), entries.get(end - 1).path(),
                    compress(end - start, raw.toByteArray())));
            start = end;
        }
        return chunks;
    }

    static List<InsightEntry> decode(byte[] chunk) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(chunk)))) {
            int count = in.readInt();
            if (count < 0 || count > MAX_DECODED_BYTES / 8) {
                throw new IOException("not a layer insight chunk");
            }
            List<InsightEntry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                entries.add(read(in));
            }
            return entries;
        }
    }

    private static void write(DataOutputStream out, InsightEntry e) {
        try {
            writeText(out, e.path());
            out.writeByte(e.type().ordinal());
            out.writeLong(e.size());
            out.writeBoolean(e.hash() != null);
            if (e.hash() != null) {
                out.writeByte(e.hash().length);
                out.write(e.hash());
            }
            out.writeBoolean(e.target() != null);
            if (e.target() != null) {
                writeText(out, e.target());
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // a byte array does not fail
        }
    }

    private static InsightEntry read(DataInputStream in) throws IOException {
        String path = readText(in);
        int type = in.readUnsignedByte();
        if (type >= TYPES.length) {
            throw new IOException("unknown entry type " + type);
        }
        long size = in.readLong();
        byte[] hash = in.readBoolean() ? in.readNBytes(in.readUnsignedByte()) : null;
        String target = in.readBoolean() ? readText(in) : null;
        return new InsightEntry(path, TYPES[type], size, hash, target);
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readText(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_DECODED_BYTES) {
            throw new IOException("bad text length " + length);
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("truncated chunk");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] compress(int count, byte[] records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
            out.writeInt(count);
            out.write(records);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
