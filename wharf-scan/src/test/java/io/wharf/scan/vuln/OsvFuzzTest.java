package io.wharf.scan.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Fuzz target of OSV records (the vulnerability data an import reads; docs/security.md#fuzzing): bytes that are not
 * JSON are refused by the reader ({@link JsonProcessingException}); a JSON record becomes an advisory or null, and
 * an advisory survives being stored and read back. Anything else is a bug. Seeds: {@code OsvFuzzTestInputs/records/}.
 */
class OsvFuzzTest {
    @FuzzTest
    void records(byte[] input) {
        JsonNode record;
        try {
            record = OsvRecords.JSON.readTree(input);
        } catch (JsonProcessingException refused) {
            return;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        if (record == null) {
            return;
        }
        OsvRecords.withdrawn(record);
        Advisory advisory = OsvRecords.parse(record);
        if (advisory != null) {
            assertThat(OsvRecords.read(OsvRecords.stored(advisory).document())).isNotNull();
        }
    }
}
