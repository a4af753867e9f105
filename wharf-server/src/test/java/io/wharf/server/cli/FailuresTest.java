package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.config.WharfConfig;
import io.wharf.server.config.WharfConfig.Listen;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FailuresTest {
    private static final WharfConfig CONFIG = WharfConfig.defaults()
            .withListen(new Listen("127.0.0.1", 5000)).withData(Path.of("/srv/wharf"));

    @Test
    void portInUseNamesTheAddress() {
        IOException e = new IOException("Failed to bind to /127.0.0.1:5000", new BindException("Address already in use"));
        assertThat(Failures.describe(e, CONFIG)).isEqualTo("cannot listen on 127.0.0.1:5000: Address already in use");
        assertThat(Failures.isExpected(e)).isTrue();
    }

    @Test
    void fileSystemProblemsNameTheFileAndTheDataDirectory() {
        assertThat(Failures.describe(new AccessDeniedException("/srv/wharf/blobs"), CONFIG))
                .isEqualTo("permission denied: /srv/wharf/blobs (data directory /srv/wharf)");
        assertThat(Failures.describe(new NoSuchFileException("/srv"), CONFIG))
                .isEqualTo("no such file or directory: /srv (data directory /srv/wharf)");
    }

    @Test
    void anythingElseIsUnexpected() {
        IllegalStateException e = new IllegalStateException("migration V2 failed");
        assertThat(Failures.describe(e, CONFIG)).isEqualTo("migration V2 failed");
        assertThat(Failures.isExpected(e)).isFalse();
    }
}
