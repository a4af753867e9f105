package io.wharf.scan.sbom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Shared JSON helpers of the SBOM writers. */
final class SbomJson {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SbomJson() {
    }

    /** Name-based (v3) UUID of the subject digest: the same image always gets the same serial number. */
    static UUID uuid(SbomSubject subject) {
        return UUID.nameUUIDFromBytes(("wharf-sbom:" + subject.digest()).getBytes(StandardCharsets.UTF_8));
    }

    static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static byte[] bytes(ObjectNode document) {
        try {
            return JSON.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("SBOM serialization failed", e);
        }
    }
}
