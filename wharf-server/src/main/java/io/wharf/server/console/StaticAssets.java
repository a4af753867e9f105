package io.wharf.server.console;

import io.wharf.server.http.Exchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The console's static files, from the classpath: htmx from its WebJar and our own CSS and script. Read once;
 * cached by browsers for a day (htmx, versioned by the WebJar, could be kept longer, but a day is plenty).
 */
final class StaticAssets {
    static final String HTMX_VERSION = "2.0.7";
    private static final String CACHE = "public, max-age=86400";

    private record Asset(String contentType, byte[] bytes) {
    }

    private final Map<String, Asset> assets = Map.of(
            "htmx.min.js", load("/META-INF/resources/webjars/htmx.org/" + HTMX_VERSION + "/dist/htmx.min.js",
                    "text/javascript; charset=utf-8"),
            "console.css", load("/console/console.css", "text/css; charset=utf-8"),
            "console.js", load("/console/console.js", "text/javascript; charset=utf-8"));

    /** False when there is no such file. */
    boolean serve(Exchange ex, String file) throws IOException {
        Asset asset = assets.get(file);
        if (asset == null) {
            return false;
        }
        ex.setHeader("Cache-Control", CACHE);
        ex.send(200, asset.contentType(), asset.bytes());
        return true;
    }

    private static Asset load(String resource, String contentType) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing console asset " + resource);
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
