package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import io.wharf.scan.insight.InsightSettings;
import io.wharf.server.config.WharfConfig;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A two-layer image with known waste, pushed as real tar.gz layers: the base writes {@code etc/app.conf} (300 bytes),
 * {@code data/cache.bin} (2,000) and {@code bin/tool} (500); the top overwrites {@code etc/app.conf} (450), whites
 * out {@code data/cache.bin} and adds {@code bin/extra} (100). So 3,350 file bytes, 1,050 visible, 2,300 wasted (all
 * the base's), efficiency 31.3 %.
 */
final class InsightImage {
    static final String REPO = "team/app";
    static final long TOTAL = 3_350;
    static final long WASTED = 2_300;

    final byte[] base;
    final byte[] top;
    final String digest;

    /** The server's settings for it: events and the insight job run often, so the layers are read at once. */
    static UnaryOperator<WharfConfig> fastInsight() {
        return c -> c.withEvents(new WharfConfig.Events(Duration.ofMillis(100), Duration.ofDays(7), 100, false))
                .withInsight(new WharfConfig.Insight(Duration.ofMillis(200), InsightSettings.DEFAULTS));
    }

    InsightImage(ConsoleServer server) throws Exception {
        base = new TarLayer().file("etc/app.conf", 300, 'a').file("data/cache.bin", 2000, 'c')
                .file("bin/tool", 500, 't').gzip();
        top = new TarLayer().file("etc/app.conf", 450, 'b').whiteout("data", "cache.bin")
                .file("bin/extra", 100, 'e').gzip();
        digest = server.pushLayers(REPO, "v1", base, top);
    }

    String baseDigest() {
        return Digest.sha256Of(base).toString();
    }

    String topDigest() {
        return Digest.sha256Of(top).toString();
    }

    /** Waits until the insight job read both layers (without asking the pages, which would queue the image). */
    void awaitRead(ConsoleServer server) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (byte[] layer : new byte[][] {base, top}) {
            while (server.backend.metadata().insights().layerInsight(Digest.sha256Of(layer)).isEmpty()) {
                assertThat(System.nanoTime()).as("the insight job read the pushed layers in time").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    String insightPath() {
        return "/console/repositories/" + REPO + "/-/images/" + digest + "/insight";
    }

    String treePath(String layer, String path) {
        return insightPath() + "/tree?layer=" + layer + (path == null ? "" : "&path=" + path);
    }
}
