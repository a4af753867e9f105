package io.wharf.scan.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz target of vulnerability data files (docs/security.md#fuzzing), through the reader an import uses
 * ({@link OsvFiles#read}): a zip, an array of OSV records, one record, an Alpine secdb file or the Debian tracker's
 * map. A damaged file is refused with an {@link IOException} naming it; every advisory it yields reads back from its
 * stored document. Any other exception (a RuntimeException escaping the reader), or a hang, is a bug.
 * Seeds: {@code OsvFuzzTestInputs/records/}.
 */
class OsvFuzzTest {
    private static final Path FILE = temporaryFile();
    private static final OsvImport.Limits LIMITS = new OsvImport.Limits(1 << 20, 1 << 20, 1000, 16 << 20, 10_000, 1);

    @FuzzTest
    void records(byte[] input) throws IOException {
        Files.write(FILE, input);
        try {
            OsvFiles.read(FILE, LIMITS, new OsvFiles.Counts(),
                    stored -> assertThat(stored.document() == null || OsvRecords.read(stored.document()) != null).isTrue());
        } catch (IOException refused) {
            // the import reports the file as damaged
        }
    }

    private static Path temporaryFile() {
        try {
            Path file = Files.createTempFile("wharf-osv-fuzz", ".json");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
