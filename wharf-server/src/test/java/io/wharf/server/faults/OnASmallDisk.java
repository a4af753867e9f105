package io.wharf.server.faults;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Each test gets a running Wharf whose data directory is on its own small tmpfs. */
abstract class OnASmallDisk {
    static final int MiB = 1 << 20;

    @TempDir
    Path mountPoint;
    SmallDisk disk;
    Served wharf;

    @BeforeEach
    void start() throws Exception {
        disk = SmallDisk.mount(mountPoint, 24);
        wharf = Served.start(disk.root.resolve("data"));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            wharf.close();
        } finally {
            disk.close();
        }
    }
}
