package io.wharf.scan.layer;

import io.airlift.compress.zstd.ZstdOutputStream;
import io.wharf.core.model.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Builds real layer tars (PAX long names) in memory, compressed with gzip, zstd or not at all. */
public final class TestLayer {

    private record Item(String name, byte[] content, char kind, String link) {
    }

    private final List<Item> items = new ArrayList<>();

    public TestLayer file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public TestLayer file(String name, byte[] content) {
        items.add(new Item(name, content, 'f', null));
        return this;
    }

    public TestLayer dir(String name) {
        items.add(new Item(name, null, 'd', null));
        return this;
    }

    public TestLayer symlink(String name, String target) {
        items.add(new Item(name, null, 's', target));
        return this;
    }

    public TestLayer hardlink(String name, String target) {
        items.add(new Item(name, null, 'h', target));
        return this;
    }

    /** {@code dir/.wh.NAME}. */
    public TestLayer whiteout(String path) {
        int slash = path.lastIndexOf('/');
        return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), new byte[0]);
    }

    public TestLayer opaque(String dir) {
        return file(dir + "/.wh..wh..opq", new byte[0]);
    }

    public byte[] tar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Item item : items) {
                tar.putArchiveEntry(entry(item));
                if (item.kind() == 'f') {
                    tar.write(item.content());
                }
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static TarArchiveEntry entry(Item item) {
        TarArchiveEntry entry = switch (item.kind()) {
            case 's' -> new TarArchiveEntry(item.name(), TarArchiveEntry.LF_SYMLINK);
            case 'h' -> new TarArchiveEntry(item.name(), TarArchiveEntry.LF_LINK);
            case 'd' -> new TarArchiveEntry(item.name().endsWith("/") ? item.name() : item.name() + "/");
            default -> new TarArchiveEntry(item.name());
        };
        entry.setModTime(0); // the same items always make the same bytes (and diffID)
        if (item.link() != null) {
            entry.setLinkName(item.link());
        }
        if (item.kind() == 'f') {
            entry.setSize(item.content().length);
            entry.setMode(0100644);
        }
        return entry;
    }

    public byte[] gzip() {
        return gzip(tar());
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    public byte[] zstd() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new ZstdOutputStream(bytes)) {
            out.write(tar());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** A source over {@code blob}; {@code opens} counts how often the analyzer opened it. */
    public static LayerSource source(byte[] blob, Digest claimedDiffId, AtomicInteger opens) {
        return new LayerSource(Digest.sha256Of(blob), "application/vnd.oci.image.layer.v1.tar+gzip",
                blob.length, claimedDiffId, () -> {
                    opens.incrementAndGet();
                    return new ByteArrayInputStream(blob);
                });
    }

    /** A source whose claimed diffID is the true one. */
    public static LayerSource source(byte[] blob, byte[] tar, AtomicInteger opens) {
        return source(blob, Digest.sha256Of(tar), opens);
    }
}
