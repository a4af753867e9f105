package io.wharf.scan.catalog.lang;

import static io.wharf.scan.catalog.lang.Catalog.file;
import static io.wharf.scan.catalog.lang.Catalog.ids;
import static io.wharf.scan.catalog.lang.Catalog.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class JavaArchiveCatalogerTest {

    private final JavaArchiveCataloger jars = new JavaArchiveCataloger(LanguageLimits.DEFAULTS);

    @Test
    void wantsJavaArchivesByExtension() {
        assertThat(jars.wants(file("app/lib/commons-text-1.9.jar", 200_000))).isTrue();
        assertThat(jars.wants(file("opt/jboss/app.EAR", 1))).isTrue();
        assertThat(jars.wants(file("webapps/ROOT.war", 1))).isTrue();
        assertThat(jars.wants(file("x.par", 1))).isTrue();
        assertThat(jars.wants(file("app/lib/jar", 1))).isFalse();
        assertThat(jars.wants(file("app/lib/x.zip", 1))).isFalse();
        assertThat(jars.wants(file("app/lib/x.jar.sha1", 1))).isFalse();
    }

    @Test
    void pomPropertiesWinOverManifestAndFileName() throws Exception {
        byte[] jar = jar(manifest("Implementation-Title", "commons-text", "Implementation-Version", "9.9"),
                "META-INF/maven/org.apache.commons/commons-text/pom.properties",
                "#Created by Apache Maven 3.6.3\nversion=1.9\ngroupId=org.apache.commons\nartifactId=commons-text\n");
        List<Pkg> found = read(jars, "app/lib/commons-text-1.9.jar", jar);
        assertThat(found).containsExactly(new Pkg(PackageManager.MAVEN, "org.apache.commons:commons-text", "1.9",
                null, null, null, null, "app/lib/commons-text-1.9.jar"));
    }

    @Test
    void shadedJarYieldsEveryPomProperties() throws Exception {
        byte[] jar = jar(null,
                "META-INF/maven/com.example/app/pom.properties", "groupId=com.example\nartifactId=app\nversion=2.0\n",
                "META-INF/maven/com.google.guava/guava/pom.properties",
                "groupId=com.google.guava\nartifactId=guava\nversion=31.1-jre\n");
        assertThat(ids(read(jars, "app.jar", jar))).containsExactly("com.example:app@2.0", "com.google.guava:guava@31.1-jre");
    }

    @Test
    void manifestWhenNoPomProperties() throws Exception {
        byte[] impl = jar(manifest("Implementation-Title", "log4j-core", "Implementation-Version", "2.14.1",
                "Implementation-Vendor-Id", "org.apache.logging.log4j"), "org/Foo.class", "cafebabe");
        assertThat(ids(read(jars, "lib/x.jar", impl))).containsExactly("org.apache.logging.log4j:log4j-core@2.14.1");
        byte[] osgi = jar(manifest("Bundle-SymbolicName", "org.eclipse.jetty.server;singleton:=true",
                "Bundle-Version", "9.4.43.v20210629", "Bundle-License", "EPL-2.0"), "a.txt", "x");
        Pkg bundle = read(jars, "lib/y.jar", osgi).getFirst();
        assertThat(bundle.name()).isEqualTo("org.eclipse.jetty.server");
        assertThat(bundle.version()).isEqualTo("9.4.43.v20210629");
        assertThat(bundle.license()).isEqualTo("EPL-2.0");
    }

    @Test
    void fileNameLastOrNothing() throws Exception {
        byte[] bare = jar(manifest("Created-By", "1.8.0 (Oracle)"), "a/B.class", "x");
        assertThat(ids(read(jars, "lib/snakeyaml-1.26.jar", bare))).containsExactly("snakeyaml@1.26");
        assertThat(ids(read(jars, "lib/app-2.0.0-SNAPSHOT.jar", bare))).containsExactly("app@2.0.0-SNAPSHOT");
        assertThat(read(jars, "lib/app.jar", bare)).isEmpty();
    }

    @Test
    void warNestsJarsAndFatJarsNestFurther() throws Exception {
        byte[] lib = jar(null, "META-INF/maven/org.yaml/snakeyaml/pom.properties",
                "groupId=org.yaml\nartifactId=snakeyaml\nversion=1.26\n");
        byte[] war = jarWith(null, List.of(
                entry("META-INF/maven/com.example/shop/pom.properties",
                        "groupId=com.example\nartifactId=shop\nversion=1.0\n".getBytes(StandardCharsets.UTF_8), false),
                entry("WEB-INF/lib/snakeyaml-1.26.jar", lib, true),
                entry("WEB-INF/lib/broken.jar", "not a zip at all".getBytes(StandardCharsets.UTF_8), true),
                entry("WEB-INF/lib/commons-io-2.11.0.jar", jar(null, "x/Y.class", "y"), false)));
        List<Pkg> found = read(jars, "usr/local/tomcat/webapps/shop.war", war);
        assertThat(found).extracting(p -> p.name() + "@" + p.version() + " " + p.filePath()).containsExactlyInAnyOrder(
                "com.example:shop@1.0 usr/local/tomcat/webapps/shop.war",
                "org.yaml:snakeyaml@1.26 usr/local/tomcat/webapps/shop.war!/WEB-INF/lib/snakeyaml-1.26.jar",
                "commons-io@2.11.0 usr/local/tomcat/webapps/shop.war!/WEB-INF/lib/commons-io-2.11.0.jar");
        byte[] ear = jarWith(null, List.of(entry("shop.war", war, true)));
        assertThat(read(jars, "app.ear", ear)).extracting(Pkg::filePath)
                .contains("app.ear!/shop.war!/WEB-INF/lib/snakeyaml-1.26.jar");
    }

    @Test
    void nestingDepthIsCapped() throws Exception {
        byte[] inner = jar(null, "META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1\n");
        byte[] level = inner;
        for (int i = 0; i < 5; i++) {
            level = jarWith(null, List.of(entry("lib/n" + i + ".jar", level, false)));
        }
        assertThat(read(jars, "deep.jar", level)).isEmpty();
        JavaArchiveCataloger deep = new JavaArchiveCataloger(new LanguageLimits(1 << 20, 1L << 30, 10, 1 << 20));
        assertThat(ids(read(deep, "deep.jar", level))).containsExactly("g:a@1");
    }

    @Test
    void zipBombStopsAtTheDecompressedCapKeepingWhatWasFound() throws Exception {
        byte[] zeros = new byte[64 << 20];
        byte[] bomb = jarWith(null, List.of(
                entry("META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1\n".getBytes(), false),
                entry("bomb1.bin", zeros, false), entry("bomb2.bin", zeros, false),
                entry("META-INF/maven/g/late/pom.properties", "groupId=g\nartifactId=late\nversion=1\n".getBytes(), false)));
        assertThat(bomb.length).isLessThan(1 << 20);
        JavaArchiveCataloger capped = new JavaArchiveCataloger(new LanguageLimits(1 << 20, 16 << 20, 3, 1 << 20));
        long start = System.nanoTime();
        List<Pkg> found = read(capped, "bomb.jar", bomb);
        assertThat(found).isEmpty(); // the cap hit inside the archive: its own list was not completed
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        assertThat(ids(read(jars, "bomb.jar", bomb))).containsExactly("g:a@1", "g:late@1");
        byte[] war = jarWith(null, List.of(entry("WEB-INF/lib/ok.jar",
                jar(null, "META-INF/maven/g/ok/pom.properties", "groupId=g\nartifactId=ok\nversion=2\n"), false),
                entry("WEB-INF/lib/bomb.jar", bomb, false)));
        assertThat(ids(read(capped, "x.war", war))).containsExactly("g:ok@2");
    }

    @Test
    void garbageAndTruncatedArchivesYieldNothing() throws Exception {
        byte[] random = new byte[200_000];
        new java.util.Random(11).nextBytes(random);
        assertThat(read(jars, "lib/x-1.0.jar", random)).isEmpty();
        assertThat(read(jars, "lib/x.jar", new byte[0])).isEmpty();
        byte[] good = jar(null, "META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1\n");
        byte[] cut = java.util.Arrays.copyOf(good, good.length / 2);
        assertThat(read(jars, "lib/x.jar", cut)).isNotNull();
        byte[] padded = jarWith(null, List.of(
                entry("META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1\n".getBytes(), false),
                entry("big.bin", random, false)));
        byte[] truncated = java.util.Arrays.copyOf(padded, padded.length / 2); // cut inside big.bin
        assertThat(ids(read(jars, "lib/x.jar", truncated))).containsExactly("g:a@1");
        byte[] badProps = jar(null, "META-INF/maven/g/a/pom.properties", "groupId=\\u12\nversion=1\n");
        assertThat(read(jars, "lib/x.jar", badProps)).isEmpty();
    }

    // --- building real archives -------------------------------------------------------------------

    private record Entry(String name, byte[] data, boolean stored) {
    }

    private static Entry entry(String name, byte[] data, boolean stored) {
        return new Entry(name, data, stored);
    }

    private static Manifest manifest(String... kv) {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        for (int i = 0; i < kv.length; i += 2) {
            m.getMainAttributes().putValue(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static byte[] jar(Manifest manifest, String... nameText) throws IOException {
        List<Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < nameText.length; i += 2) {
            entries.add(entry(nameText[i], nameText[i + 1].getBytes(StandardCharsets.UTF_8), false));
        }
        return jarWith(manifest, entries);
    }

    /** A real jar (JarOutputStream); nested archives STORED as Spring Boot does, or deflated. */
    private static byte[] jarWith(Manifest manifest, List<Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = manifest == null ? new JarOutputStream(bytes) : new JarOutputStream(bytes, manifest)) {
            for (Entry e : entries) {
                ZipEntry ze = new ZipEntry(e.name());
                if (e.stored()) {
                    CRC32 crc = new CRC32();
                    crc.update(e.data());
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(e.data().length);
                    ze.setCompressedSize(e.data().length);
                    ze.setCrc(crc.getValue());
                }
                out.putNextEntry(ze);
                out.write(e.data());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
