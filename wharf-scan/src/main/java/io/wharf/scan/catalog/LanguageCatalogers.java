package io.wharf.scan.catalog;

import io.wharf.scan.layer.Cataloger;
import java.util.List;

/** The language-package catalogers: npm, Java archives, Python, Go binaries, Cargo, RubyGems. */
public final class LanguageCatalogers {

    private LanguageCatalogers() {
    }

    public static List<Cataloger> all() {
        return List.of();
    }
}
