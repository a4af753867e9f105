package io.wharf.server.faults;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A real small file system (a tmpfs of a few MiB) for one test, and a filler file that fills it to the
 * last byte and frees it again. Mounting needs root, which the suite has in CI (`.ci/run` runs as root);
 * without it the test fails, it does not skip.
 */
final class SmallDisk implements AutoCloseable {
    final Path root;
    private final Path filler;

    private SmallDisk(Path root) {
        this.root = root;
        this.filler = root.resolve("filler");
    }

    static SmallDisk mount(Path dir, int mebibytes) throws Exception {
        run("mount", "-t", "tmpfs", "-o", "size=" + mebibytes + "m", "tmpfs", dir.toString());
        return new SmallDisk(dir);
    }

    /** Writes the filler until the file system refuses more: then nothing else can be written either. */
    void fill() throws IOException {
        ByteBuffer block = ByteBuffer.allocate(4096);
        try (FileChannel out = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (true) {
                block.clear();
                out.write(block);
            }
        } catch (IOException full) {
            if (usable() > 0) {
                throw full;
            }
        }
    }

    void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    long usable() throws IOException {
        return Files.getFileStore(root).getUsableSpace();
    }

    @Override
    public void close() throws Exception {
        run("umount", "--lazy", root.toString());
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (the fault-injection tests need root,"
                    + " as CI runs them): " + output);
        }
    }
}
