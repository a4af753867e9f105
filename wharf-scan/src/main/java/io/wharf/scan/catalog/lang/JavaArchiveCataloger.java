package io.wharf.scan.catalog.lang;

import io.wharf.scan.layer.Cataloger;
import io.wharf.scan.layer.LayerEntry;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Java archives ({@code .jar .war .ear .par}), streamed once with {@link ZipInputStream}. Each archive yields
 * its {@code META-INF/maven/<g>/<a>/pom.properties} packages ({@code g:a}); without any, the MANIFEST.MF main
 * attributes; without those, the file name ({@code name-1.2.3.jar}, name without group). Archives inside
 * (WEB-INF/lib, BOOT-INF/lib, EARs) are read recursively up to {@link LanguageLimits#maxArchiveDepth()}, their
 * {@code filePath} written {@code outer.war!/WEB-INF/lib/x.jar}. Every decompressed byte counts against
 * {@link LanguageLimits#maxArchiveBytes()}; at the cap reading stops and what was found so far is kept.
 */
public final class JavaArchiveCataloger implements Cataloger {

    private static final long MAX_META_BYTES = 1 << 20;
    private static final Pattern POM_PROPERTIES = Pattern.compile("META-INF/maven/[^/]+/[^/]+/pom\\.properties");
    private static final Pattern FILE_NAME =
            Pattern.compile("^([a-zA-Z0-9._-]*[^-*])-(\\d\\S*(?:-SNAPSHOT)?)\\.[jwep]ar$");

    private final LanguageLimits limits;

    public JavaArchiveCataloger(LanguageLimits limits) {
        this.limits = limits;
    }

    @Override
    public String name() {
        return "java-archive";
    }

    @Override
    public boolean wants(LayerEntry entry) {
        return isArchive(entry.path());
    }

    static boolean isArchive(String path) {
        int n = path.length();
        if (n < 5 || path.charAt(n - 4) != '.') {
            return false;
        }
        // regionMatches: no allocation per file (called for every file of every layer)
        return path.regionMatches(true, n - 3, "jar", 0, 3) || path.regionMatches(true, n - 3, "war", 0, 3)
                || path.regionMatches(true, n - 3, "ear", 0, 3) || path.regionMatches(true, n - 3, "par", 0, 3);
    }

    @Override
    public List<Pkg> read(LayerEntry entry, InputStream content) throws IOException {
        List<Pkg> out = new ArrayList<>();
        Budget budget = new Budget(content, limits.maxArchiveBytes());
        try {
            readArchive(budget, entry.path(), 1, budget, out);
        } catch (IOException | RuntimeException e) {
            // not a zip, truncated, unsupported entry layout or over the cap: keep what was found
            if (budget.sourceFailed) {
                throw e instanceof IOException io ? io : new IOException(e);
            }
        }
        return out;
    }

    private void readArchive(InputStream in, String path, int depth, Budget budget, List<Pkg> out) throws IOException {
        Archive found = new Archive();
        // closing frees the Inflater; it does not close the layer stream or an outer entry (see Budget)
        try (ZipInputStream zip = new ZipInputStream(in)) {
            entries(zip, path, depth, budget, out, found);
        } catch (IOException | RuntimeException e) {
            if (e instanceof BudgetExceeded || budget.sourceFailed) {
                throw e;
            }
            // broken from here on (truncated, a layout ZipInputStream cannot stream): keep what came before
        }
        out.addAll(found.packages(path));
    }

    private void entries(ZipInputStream zip, String path, int depth, Budget budget, List<Pkg> out, Archive found)
            throws IOException {
        for (ZipEntry ze; (ze = zip.getNextEntry()) != null; ) {
            InputStream entry = budget.charge(zip);
            found.entries++;
            if (!ze.isDirectory()) {
                inspect(ze.getName(), entry, path, depth, budget, out, found);
            }
            // every byte goes through the budget, also those of entries nobody reads
            entry.transferTo(OutputStream.nullOutputStream());
        }
    }

    private void inspect(String name, InputStream entry, String path, int depth, Budget budget, List<Pkg> out,
                         Archive found) throws IOException {
        if (POM_PROPERTIES.matcher(name).matches()) {
            pom(entry, path, found);
        } else if (name.equals("META-INF/MANIFEST.MF")) {
            found.manifest = manifest(entry);
        } else if (depth < limits.maxArchiveDepth() && isArchive(name)) {
            readArchive(entry, path + "!/" + name, depth + 1, budget, out);
        }
    }

    private static void pom(InputStream entry, String path, Archive found) throws IOException {
        byte[] bytes = Bounded.readAll(entry, MAX_META_BYTES);
        if (bytes == null) {
            return;
        }
        Properties p = new Properties();
        try {
            p.load(new ByteArrayInputStream(bytes));
        } catch (IllegalArgumentException e) {
            return;
        }
        String g = p.getProperty("groupId");
        String a = p.getProperty("artifactId");
        String v = p.getProperty("version");
        if (!Bounded.blank(g) && !Bounded.blank(a) && !Bounded.blank(v)) {
            found.poms.add(new Pkg(PackageManager.MAVEN, g.strip() + ":" + a.strip(), v.strip(),
                    null, null, null, null, path));
        }
    }

    private static Attributes manifest(InputStream entry) throws IOException {
        byte[] bytes = Bounded.readAll(entry, MAX_META_BYTES);
        if (bytes == null) {
            return null;
        }
        try {
            return new Manifest(new ByteArrayInputStream(bytes)).getMainAttributes();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** What one archive level declared; pom.properties win over the manifest, which wins over the name. */
    private static final class Archive {
        final List<Pkg> poms = new ArrayList<>();
        Attributes manifest;
        int entries;

        List<Pkg> packages(String path) {
            if (entries == 0) {
                return List.of(); // not a zip (ZipInputStream sees no entry): the name promised too much
            }
            if (!poms.isEmpty()) {
                return poms;
            }
            Pkg fromManifest = manifest == null ? null : fromManifest(manifest, path);
            if (fromManifest != null) {
                return List.of(fromManifest);
            }
            Pkg fromName = fromFileName(path);
            return fromName == null ? List.of() : List.of(fromName);
        }
    }

    /**
     * {@code Implementation-Vendor-Id:Implementation-Title} at {@code Implementation-Version}, else
     * {@code Bundle-SymbolicName} at {@code Bundle-Version} (OSGi names are usually {@code groupId.artifactId}).
     */
    static Pkg fromManifest(Attributes main, String path) {
        String title = attr(main, "Implementation-Title");
        String version = attr(main, "Implementation-Version");
        String vendorId = attr(main, "Implementation-Vendor-Id");
        String license = attr(main, "Bundle-License");
        if (title != null && version != null && !title.contains(" ")) {
            String name = vendorId == null ? title : vendorId + ":" + title;
            return new Pkg(PackageManager.MAVEN, name, version, null, null, null, license, path);
        }
        String bsn = attr(main, "Bundle-SymbolicName");
        String bundleVersion = attr(main, "Bundle-Version");
        if (bsn != null && bundleVersion != null) {
            String symbolic = bsn.split(";", 2)[0].strip();
            return new Pkg(PackageManager.MAVEN, symbolic, bundleVersion, null, null, null, license, path);
        }
        return null;
    }

    private static String attr(Attributes main, String key) {
        String v = main.getValue(key);
        return Bounded.blank(v) ? null : v.strip();
    }

    /** {@code commons-io-2.11.0.jar} → {@code commons-io} 2.11.0 (no group: the name alone says none). */
    static Pkg fromFileName(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        Matcher m = FILE_NAME.matcher(file);
        return m.matches() ? new Pkg(PackageManager.MAVEN, m.group(1), m.group(2), null, null, null, null, path) : null;
    }

    private static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded() {
            super("archive decompressed-bytes cap reached", null, false, false);
        }
    }

    /**
     * Counts bytes of every decompressing stream read through {@link #charge}; also wraps the source so that
     * a failure of the layer stream itself is told apart from a bad archive.
     */
    private static final class Budget extends FilterInputStream {
        private long left;
        boolean sourceFailed;

        Budget(InputStream source, long cap) {
            super(source);
            this.left = cap;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                sourceFailed = true;
                throw e;
            }
        }

        @Override
        public void close() {
            // the layer stream is not ours to close
        }

        InputStream charge(InputStream zipEntry) {
            return new FilterInputStream(zipEntry) {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0 && (left -= n) < 0) {
                        throw new BudgetExceeded();
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    return read(new byte[(int) Math.min(n, 8192)]);
                }

                @Override
                public void close() {
                    // closing a nested ZipInputStream must not close the outer entry
                }
            };
        }
    }
}
