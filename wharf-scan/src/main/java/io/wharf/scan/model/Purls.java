package io.wharf.scan.model;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import java.util.TreeMap;

/** Package URLs (purl-spec) for found packages; OS packages carry the distribution as a qualifier. */
public final class Purls {

    private Purls() {
    }

    /** The package's purl, e.g. {@code pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12}; null if none can be made. */
    public static String of(FoundPackage found, OsRelease os) {
        return of(found.pkg(), os);
    }

    public static String of(Pkg pkg, OsRelease os) {
        try {
            return build(pkg, os).canonicalize();
        } catch (MalformedPackageURLException | RuntimeException e) {
            return null;
        }
    }

    private static PackageURL build(Pkg pkg, OsRelease os) throws MalformedPackageURLException {
        TreeMap<String, String> qualifiers = new TreeMap<>();
        String namespace = null;
        String name = pkg.name();
        String version = pkg.version();
        if (pkg.manager().os()) {
            namespace = os != null ? os.id() : defaultNamespace(pkg.manager());
            if (pkg.arch() != null) {
                qualifiers.put("arch", pkg.arch());
            }
            if (os != null && os.versionId() != null) {
                qualifiers.put("distro", os.id() + "-" + os.versionId());
            }
            if (pkg.manager() == PackageManager.RPM && version.indexOf(':') > 0) {
                qualifiers.put("epoch", version.substring(0, version.indexOf(':')));
                version = version.substring(version.indexOf(':') + 1);
            }
        } else {
            int slash = pkg.manager() == PackageManager.MAVEN ? name.indexOf(':') : name.lastIndexOf('/');
            boolean split = pkg.manager() == PackageManager.MAVEN || pkg.manager() == PackageManager.GO
                    || pkg.manager() == PackageManager.NPM && name.startsWith("@");
            if (split && slash > 0) {
                namespace = name.substring(0, slash);
                name = name.substring(slash + 1);
            }
        }
        return new PackageURL(pkg.manager().purlType(), namespace, name, version,
                qualifiers.isEmpty() ? null : qualifiers, null);
    }

    private static String defaultNamespace(PackageManager manager) {
        return switch (manager) {
            case DPKG -> "debian";
            case APK -> "alpine";
            default -> null;
        };
    }
}
