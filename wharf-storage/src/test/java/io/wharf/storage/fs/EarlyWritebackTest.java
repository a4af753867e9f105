package io.wharf.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EarlyWritebackTest {
    @TempDir
    Path dir;

    @Test
    void writesEverythingAndStartsAFlushPerStepWhileNoneIsRunning() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(1).nextBytes(data);
        Path file = Files.createFile(dir.resolve("upload"));
        EarlyWriteback out = new EarlyWriteback(FileChannel.open(file, StandardOpenOption.WRITE), 64 << 10, file.getParent());
        for (int at = 0; at < data.length; at += 16 << 10) {
            ByteBuffer chunk = ByteBuffer.wrap(data, at, 16 << 10);
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
        }
        out.close();
        assertThat(out.isOpen()).isFalse();
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        // 16 steps of 64 KiB were written; a step arriving while a flush runs starts none
        assertThat(out.flushes()).isBetween(1, 16);
    }

    @Test
    void aWriteLargerThanOneSystemCallIsWrittenWholeAndLeavesTheLimitAlone() throws Exception {
        byte[] data = new byte[3 * EarlyWriteback.MAX_WRITE + 777];
        new Random(2).nextBytes(data);
        Path file = Files.createFile(dir.resolve("big"));
        EarlyWriteback out = new EarlyWriteback(FileChannel.open(file, StandardOpenOption.WRITE), 1 << 30, file.getParent());
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length + 100);
        direct.position(10).put(data).limit(10 + data.length).position(10);

        assertThat(out.write(direct)).isEqualTo(data.length);
        assertThat(direct.position()).isEqualTo(10 + data.length);
        assertThat(direct.limit()).isEqualTo(10 + data.length);
        out.close();
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
    }

    @Test
    void belowOneStepNothingIsFlushed() throws Exception {
        Path file = Files.createFile(dir.resolve("small"));
        EarlyWriteback out = new EarlyWriteback(FileChannel.open(file, StandardOpenOption.WRITE), 64 << 10, file.getParent());
        out.write(ByteBuffer.wrap(new byte[1000]));
        out.close();
        assertThat(out.flushes()).isZero();
        assertThat(Files.size(file)).isEqualTo(1000);
    }
}
