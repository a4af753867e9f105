package io.wharf.scan.catalog.lang;

import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds and decodes a Go binary's build information by streaming: the 14-byte magic {@code \xff Go buildinf:}
 * sits at a 16-byte-aligned file offset. Reads happen in whole chunks that are a multiple of 16 bytes, so
 * the magic never straddles two chunks; the header and strings after it may, and are read on from the
 * stream. Only the Go 1.18+ inline format ({@code flags & 2}) is decoded; the older pointer format needs
 * the binary's data segments and yields nothing.
 */
final class GoBuildInfo {

    static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
    static final int HEADER = 32;
    static final int DEFAULT_CHUNK = 64 * 1024;
    /** Go version and modinfo strings are small; a binary with thousands of deps stays far below this. */
    static final int MAX_STRINGS = 4 << 20;
    private static final int SENTINEL = 16;

    /** The decoded strings: {@code go1.21.3} and the modinfo text (without sentinels). */
    record Info(String goVersion, String modinfo) {
    }

    private GoBuildInfo() {
    }

    /** The build information of the stream, or null when there is none (or only the old format). */
    static Info find(InputStream in, int chunk) throws IOException {
        if (chunk <= 0 || chunk % 16 != 0) {
            throw new IllegalArgumentException("chunk must be a positive multiple of 16");
        }
        byte[] buf = new byte[chunk];
        for (int len; (len = fill(in, buf)) > 0; ) {
            for (int i = 0; i + MAGIC.length <= len; i += 16) {
                if (buf[i] == MAGIC[0] && Arrays.equals(buf, i, i + MAGIC.length, MAGIC, 0, MAGIC.length)) {
                    return decode(buf, i, len, in);
                }
            }
            if (len < chunk) {
                return null;
            }
        }
        return null;
    }

    /** Reads until the buffer is full or the stream ends: chunks stay 16-byte aligned whatever read returns. */
    private static int fill(InputStream in, byte[] buf) throws IOException {
        int len = 0;
        for (int n; len < buf.length && (n = in.read(buf, len, buf.length - len)) > 0; ) {
            len += n;
        }
        return len;
    }

    /** Decodes from the magic at {@code buf[at]}; what follows the chunk is read from {@code in}. */
    private static Info decode(byte[] buf, int at, int len, InputStream in) throws IOException {
        byte[] head = Arrays.copyOfRange(buf, at, len);
        byte[] more = new byte[Math.max(0, HEADER + MAX_STRINGS - head.length)];
        more = Arrays.copyOf(more, fill(in, more));
        byte[] data = new byte[head.length + more.length];
        System.arraycopy(head, 0, data, 0, head.length);
        System.arraycopy(more, 0, data, head.length, more.length);
        if (data.length < HEADER || (data[15] & 2) == 0) {
            return null;
        }
        int[] pos = {HEADER};
        String version = string(data, pos);
        String mod = version == null ? null : string(data, pos);
        if (version == null || mod == null) {
            return null;
        }
        return new Info(version, stripSentinels(mod));
    }

    /** A uvarint-length-prefixed string at {@code pos[0]}, advancing it; null when it runs past the data. */
    private static String string(byte[] data, int[] pos) {
        long n = 0;
        int shift = 0;
        int p = pos[0];
        while (true) {
            if (p >= data.length || shift > 28) {
                return null;
            }
            int b = data[p++] & 0xff;
            n |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                break;
            }
            shift += 7;
        }
        if (n > data.length - p) {
            return null;
        }
        pos[0] = p + (int) n;
        return new String(data, p, (int) n, StandardCharsets.ISO_8859_1);
    }

    private static String stripSentinels(String mod) {
        if (mod.length() >= 2 * SENTINEL + 1 && mod.charAt(mod.length() - SENTINEL - 1) == '\n') {
            mod = mod.substring(SENTINEL, mod.length() - SENTINEL);
        }
        return new String(mod.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /**
     * stdlib, the main module and each dependency as GO packages. A {@code =>} line replaces the module just
     * before it; a replacement without a version (a local directory) drops it: its code is unknown.
     */
    static List<Pkg> packages(Info info, String file) {
        List<Pkg> out = new ArrayList<>();
        String go = info.goVersion().split("[ \t]", 2)[0];
        if (go.startsWith("go") && go.length() > 2) {
            out.add(pkg("stdlib", go.substring(2), file));
        }
        Pkg pending = null;
        boolean replaceable = false;
        for (String line : info.modinfo().split("\n")) {
            String[] f = line.split("\t", -1); // -1: a line of tabs alone still has a first field
            if (f[0].equals("mod") || f[0].equals("dep")) {
                addIfSet(out, pending);
                pending = module(f, file);
                replaceable = true;
            } else if (f[0].equals("=>") && replaceable) {
                pending = module(f, file);
                replaceable = false;
            }
        }
        addIfSet(out, pending);
        return out;
    }

    private static void addIfSet(List<Pkg> out, Pkg p) {
        if (p != null) {
            out.add(p);
        }
    }

    /** {@code <kind> path version [sum]}; null when the version is missing, {@code (devel)} or a bare {@code v}. */
    private static Pkg module(String[] f, String file) {
        String version = f.length >= 3 ? stripV(f[2]) : "";
        if (!version.isEmpty() && !version.equals("(devel)") && !f[1].isEmpty()) {
            return pkg(f[1], version, file);
        }
        return null;
    }

    private static Pkg pkg(String name, String version, String file) {
        return new Pkg(PackageManager.GO, name, version, null, null, null, null, file);
    }

    private static String stripV(String v) {
        return v.startsWith("v") ? v.substring(1) : v;
    }
}
