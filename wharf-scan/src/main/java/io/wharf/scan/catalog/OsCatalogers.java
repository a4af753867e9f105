package io.wharf.scan.catalog;

import io.wharf.scan.catalog.os.ApkCataloger;
import io.wharf.scan.catalog.os.DpkgCataloger;
import io.wharf.scan.catalog.os.RpmCataloger;
import io.wharf.scan.layer.Cataloger;
import java.util.List;

/** The operating-system package catalogers: dpkg, apk, rpm. */
public final class OsCatalogers {

    private OsCatalogers() {
    }

    public static List<Cataloger> all() {
        return List.of(new DpkgCataloger(), new ApkCataloger(), new RpmCataloger());
    }
}
