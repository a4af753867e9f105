package io.wharf.server.oci;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the HTTP tests: one fresh registry (real Jetty, filesystem + SQLite) per test class. */
public abstract class RegistryTest {
    protected static TestRegistry r;

    @BeforeAll
    static void startRegistry() throws Exception {
        r = new TestRegistry();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        r.close();
    }
}
