package io.wharf.server.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven stamped into the jar ({@code pom.properties}); "dev" when run from classes. */
public final class Version {
    private static final String POM_PROPERTIES = "/META-INF/maven/io.wharf/wharf-server/pom.properties";
    private static final String VERSION = read();

    private Version() {
    }

    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
