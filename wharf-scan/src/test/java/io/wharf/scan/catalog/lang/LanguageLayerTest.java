package io.wharf.scan.catalog.lang;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.scan.catalog.LanguageCatalogers;
import io.wharf.scan.layer.Cataloger;
import io.wharf.scan.layer.LayerEntry;
import io.wharf.scan.model.Pkg;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/**
 * A realistic application layer as a real tar, streamed entry by entry through every language cataloger the
 * way the layer reader offers files (first cataloger that wants a file reads it).
 */
class LanguageLayerTest {

    @Test
    void applicationLayerYieldsEveryEcosystem() throws Exception {
        byte[] layer = layer();
        List<String> found = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(layer))) {
            for (TarArchiveEntry t; (t = tar.getNextEntry()) != null; ) {
                if (!t.isFile()) {
                    continue;
                }
                LayerEntry entry = new LayerEntry(t.getName(), t.getSize(), t.getMode() & 07777);
                for (Cataloger c : LanguageCatalogers.all()) {
                    if (c.wants(entry)) {
                        for (Pkg p : c.read(entry, tar)) {
                            found.add(p.manager() + " " + p.name() + "@" + p.version() + " " + p.filePath());
                        }
                        break;
                    }
                }
            }
        }
        assertThat(found).containsExactlyInAnyOrder(
                "NPM express@4.17.1 app/node_modules/express/package.json",
                "NPM debug@2.6.9 app/node_modules/express/node_modules/debug/package.json",
                "NPM @types/node@20.4.1 app/node_modules/@types/node/package.json",
                "NPM express@4.17.1 app/package-lock.json",
                "NPM debug@2.6.9 app/package-lock.json",
                "MAVEN org.apache.logging.log4j:log4j-core@2.14.1 opt/svc/lib/log4j-core-2.14.1.jar",
                "PYPI requests@2.25.0 usr/lib/python3.11/site-packages/requests-2.25.0.dist-info/METADATA",
                "GO stdlib@1.19.8 usr/local/bin/hello",
                "GO example.com/new@1.1.0 usr/local/bin/hello",
                "GO golang.org/x/text@0.3.7 usr/local/bin/hello",
                "CARGO serde@1.0.188 src/tool/Cargo.lock",
                "GEM rack@2.2.3 usr/local/bundle/specifications/rack-2.2.3.gemspec");
    }

    private byte[] layer() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            text(tar, "app/package.json", "{\"name\":\"shop\",\"version\":\"1.0.0\",\"private\":true}");
            text(tar, "app/package-lock.json", """
                    {"name":"shop","lockfileVersion":3,"packages":{"":{"name":"shop"},
                     "node_modules/express":{"version":"4.17.1"},
                     "node_modules/express/node_modules/debug":{"version":"2.6.9"}}}""");
            text(tar, "app/node_modules/express/package.json", "{\"name\":\"express\",\"version\":\"4.17.1\"}");
            text(tar, "app/node_modules/express/lib/router/index.js", "module.exports = {}");
            text(tar, "app/node_modules/express/node_modules/debug/package.json",
                    "{\"name\":\"debug\",\"version\":\"2.6.9\",\"license\":\"MIT\"}");
            text(tar, "app/node_modules/express/node_modules/debug/test/fixture/package.json", "{\"main\":\"x\"}");
            text(tar, "app/node_modules/@types/node/package.json", "{\"name\":\"@types/node\",\"version\":\"20.4.1\"}");
            file(tar, "opt/svc/lib/log4j-core-2.14.1.jar", jar(), 0644);
            text(tar, "usr/lib/python3.11/site-packages/requests-2.25.0.dist-info/METADATA",
                    "Metadata-Version: 2.1\nName: requests\nVersion: 2.25.0\nLicense: Apache 2.0\n\nRequests\n");
            text(tar, "usr/lib/python3.11/site-packages/requests/__init__.py", "__version__ = '2.25.0'\n");
            try (InputStream go = getClass().getResourceAsStream("/lang/go-hello")) {
                file(tar, "usr/local/bin/hello", go.readAllBytes(), 0755);
            }
            file(tar, "usr/local/bin/start.sh", "#!/bin/sh\nexec hello\n".repeat(5000).getBytes(), 0755);
            text(tar, "src/tool/Cargo.lock", "version = 3\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.188\"\n"
                    + "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n"
                    + "[[package]]\nname = \"tool\"\nversion = \"0.1.0\"\n");
            text(tar, "usr/local/bundle/specifications/rack-2.2.3.gemspec",
                    "Gem::Specification.new do |s|\n  s.name = \"rack\".freeze\n  s.version = \"2.2.3\"\nend\n");
        }
        return bytes.toByteArray();
    }

    private static byte[] jar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            jar.putNextEntry(new ZipEntry("META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties"));
            jar.write("groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n"
                    .getBytes(StandardCharsets.UTF_8));
            jar.putNextEntry(new ZipEntry("org/apache/logging/log4j/core/Logger.class"));
            jar.write(new byte[4096]);
        }
        return bytes.toByteArray();
    }

    private static void text(TarArchiveOutputStream tar, String path, String content) throws IOException {
        file(tar, path, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    private static void file(TarArchiveOutputStream tar, String path, byte[] content, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(path);
        e.setSize(content.length);
        e.setMode(mode);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
