package io.wharf.scan.catalog;

import io.wharf.scan.catalog.lang.CargoLockCataloger;
import io.wharf.scan.catalog.lang.GemspecCataloger;
import io.wharf.scan.catalog.lang.GoBinaryCataloger;
import io.wharf.scan.catalog.lang.JavaArchiveCataloger;
import io.wharf.scan.catalog.lang.LanguageLimits;
import io.wharf.scan.catalog.lang.NpmLockCataloger;
import io.wharf.scan.catalog.lang.NpmPackageCataloger;
import io.wharf.scan.catalog.lang.PythonCataloger;
import io.wharf.scan.catalog.lang.YarnLockCataloger;
import io.wharf.scan.layer.Cataloger;
import java.util.List;

/** The language-package catalogers: npm, Java archives, Python, Go binaries, Cargo, RubyGems. */
public final class LanguageCatalogers {

    private LanguageCatalogers() {
    }

    /** All of them with {@link LanguageLimits#DEFAULTS}. */
    public static List<Cataloger> all() {
        return all(LanguageLimits.DEFAULTS);
    }

    public static List<Cataloger> all(LanguageLimits limits) {
        return List.of(
                new NpmPackageCataloger(limits),
                new NpmLockCataloger(limits),
                new YarnLockCataloger(limits),
                new JavaArchiveCataloger(limits),
                new PythonCataloger(limits),
                new GoBinaryCataloger(limits),
                new CargoLockCataloger(limits),
                new GemspecCataloger(limits));
    }
}
