package io.wharf.scan.catalog.lang;

import static io.wharf.scan.catalog.lang.Catalog.ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.scan.layer.LayerEntry;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoBinaryCatalogerTest {

    private static final byte[] START = HexFormat.of().parseHex("3077af0c9274080241e1c107e6d618e6");
    private static final byte[] END = HexFormat.of().parseHex("f932433186182072008242104116d8f2");

    private final GoBinaryCataloger go = new GoBinaryCataloger(LanguageLimits.DEFAULTS);

    /** Built by src/test/fixtures/make-go-binary.sh with Debian's go1.19.8. */
    @Test
    void realGoBinary() throws Exception {
        byte[] binary;
        try (InputStream in = getClass().getResourceAsStream("/lang/go-hello")) {
            binary = in.readAllBytes();
        }
        LayerEntry entry = new LayerEntry("usr/local/bin/hello", binary.length, 0755);
        assertThat(go.wants(entry)).isTrue();
        List<Pkg> found = go.read(entry, new ByteArrayInputStream(binary));
        // main module is (devel); example.com/local is replaced by a directory (no version): both skipped
        assertThat(ids(found)).containsExactly("stdlib@1.19.8", "example.com/new@1.1.0", "golang.org/x/text@0.3.7");
        assertThat(found).allSatisfy(p -> {
            assertThat(p.manager()).isEqualTo(PackageManager.GO);
            assertThat(p.filePath()).isEqualTo("usr/local/bin/hello");
        });
    }

    @Test
    void wantsLargeEnoughExecutablesOnly() {
        assertThat(go.wants(new LayerEntry("usr/bin/app", 2_000_000, 0755))).isTrue();
        assertThat(go.wants(new LayerEntry("usr/bin/app", 2_000_000, 0644))).isFalse();
        assertThat(go.wants(new LayerEntry("usr/bin/app.sh", 2_000_000, 0755))).isFalse();
        assertThat(go.wants(new LayerEntry("usr/bin/tiny", 1000, 0755))).isFalse();
        assertThat(go.wants(new LayerEntry("usr/bin/huge", 300L << 20, 0755))).isFalse();
    }

    @Test
    void syntheticBuildInfoWithReplacementsAndDevel() throws Exception {
        String mod = "path\texample.com/cmd/tool\n"
                + "mod\texample.com/cmd\tv1.4.0\th1:abc=\n"
                + "dep\tgithub.com/a/b\tv1.2.3\th1:x=\n"
                + "=>\tgithub.com/fork/b\tv1.2.4\th1:y=\n"
                + "dep\tgithub.com/c/d\tv0.0.0-20230101000000-abcdef123456\th1:z=\n"
                + "dep\tgithub.com/e/f\tv2.0.0+incompatible\n"
                + "=>\t../f\t(devel)\t\n"
                + "build\t-compiler=gc\n";
        byte[] bin = binary(4096, "go1.21.3 X:boringcrypto", mod, 4096);
        List<Pkg> found = GoBuildInfo.packages(GoBuildInfo.find(new ByteArrayInputStream(bin), 64), "bin/tool");
        assertThat(ids(found)).containsExactly("stdlib@1.21.3", "example.com/cmd@1.4.0", "github.com/fork/b@1.2.4",
                "github.com/c/d@0.0.0-20230101000000-abcdef123456");
    }

    @Test
    void headerAndStringsStraddlingReadChunksAreFound() throws Exception {
        String mod = "path\tx\nmod\tx\t(devel)\t\ndep\tgolang.org/x/net\tv0.17.0\th1:q=\n";
        for (int prefix = 0; prefix <= 256; prefix += 16) {
            byte[] bin = binary(prefix, "go1.20.1", mod, 7);
            GoBuildInfo.Info info = GoBuildInfo.find(new ByteArrayInputStream(bin), 48);
            assertThat(info).as("prefix %d", prefix).isNotNull();
            assertThat(ids(GoBuildInfo.packages(info, "b"))).containsExactly("stdlib@1.20.1", "golang.org/x/net@0.17.0");
            // a stream that hands out one byte per read: readNBytes still fills whole chunks
            InputStream trickle = new ByteArrayInputStream(bin) {
                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    return super.read(b, off, Math.min(len, 1));
                }
            };
            assertThat(GoBuildInfo.find(trickle, 32)).isNotNull();
        }
    }

    @Test
    void misalignedMagicOldFormatTruncationAndGarbageYieldNothing() throws Exception {
        byte[] good = binary(64, "go1.20.1", "dep\ta\tv1\t\n", 0);
        byte[] shifted = new byte[good.length + 3];
        System.arraycopy(good, 0, shifted, 3, good.length);
        assertThat(GoBuildInfo.find(new ByteArrayInputStream(shifted), 64)).isNull();
        byte[] old = good.clone();
        old[64 + 15] = 0; // flags without the inline bit: pre-1.18 pointer format
        assertThat(GoBuildInfo.find(new ByteArrayInputStream(old), 64)).isNull();
        byte[] cut = java.util.Arrays.copyOf(good, 64 + 34);
        assertThat(GoBuildInfo.find(new ByteArrayInputStream(cut), 64)).isNull();
        byte[] lying = good.clone();
        lying[64 + 32] = (byte) 0xff; // varint length running past the data
        lying[64 + 33] = (byte) 0xff;
        lying[64 + 34] = (byte) 0x7f;
        assertThat(GoBuildInfo.find(new ByteArrayInputStream(lying), 64)).isNull();
        byte[] random = new byte[300_000];
        new java.util.Random(5).nextBytes(random);
        LayerEntry entry = new LayerEntry("usr/bin/x", random.length, 0755);
        assertThat(go.read(entry, new ByteArrayInputStream(random))).isEmpty();
    }

    /** {@code prefix} bytes of filler, then an inline-format build info blob, then {@code suffix} bytes. */
    private static byte[] binary(int prefix, String goVersion, String modinfo, int suffix) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[prefix]);
        out.write(GoBuildInfo.MAGIC);
        out.write(8); // pointer size
        out.write(2); // flags: inline strings
        out.write(new byte[16]);
        string(out, goVersion.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream mod = new ByteArrayOutputStream();
        mod.write(START);
        mod.write(modinfo.getBytes(StandardCharsets.UTF_8));
        mod.write(END);
        string(out, mod.toByteArray());
        out.write(new byte[suffix]);
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, byte[] s) throws IOException {
        int n = s.length;
        while (n >= 0x80) {
            out.write((n & 0x7f) | 0x80);
            n >>>= 7;
        }
        out.write(n);
        out.write(s);
    }
}
