package io.wharf.server.oci;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wharf.core.error.RegistryException;

/**
 * Fuzz targets of the range headers (docs/security.md#fuzzing): a blob GET's {@code Range} and an upload chunk's
 * {@code Content-Range}. Each returns a range that lies within what it describes, or null, or refuses with
 * RANGE_INVALID; anything else is a bug. Seeds: {@code RangeFuzzTestInputs/<target>/}.
 */
class RangeFuzzTest {
    /** {@code <blob size>\n<Range header>}; a first line that is not a size stands for 1000 bytes. */
    @FuzzTest
    void ranges(byte[] input) {
        String text = new String(input, UTF_8);
        int nl = text.indexOf('\n');
        long size = nl < 0 ? 1000 : sizeOf(text.substring(0, nl));
        String header = nl < 0 ? text : text.substring(nl + 1);
        try {
            ByteRange r = ByteRange.parse(header, size);
            if (r != null) {
                assertThat(r.start()).isBetween(0L, r.end());
                assertThat(r.end()).isLessThan(size);
                assertThat(r.length()).isPositive();
            }
        } catch (OciProblem | RegistryException refused) {
            // 416
        }
    }

    @FuzzTest
    void contentRanges(byte[] input) {
        try {
            ContentRange r = ContentRange.parse(new String(input, UTF_8));
            if (r != null) {
                assertThat(r.start()).isBetween(0L, r.end());
                assertThat(r.length()).isPositive();
            }
        } catch (OciProblem | RegistryException refused) {
            // 416
        }
    }

    private static long sizeOf(String line) {
        try {
            return Math.max(0, Long.parseLong(line.strip()));
        } catch (NumberFormatException e) {
            return 1000;
        }
    }
}
