package io.wharf.scan.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.model.ValueTypesJson;
import io.wharf.scan.model.ImageInventory;
import io.wharf.scan.vuln.Finding;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** A scan's stored inventory and findings: gzip-compressed JSON, opaque to the {@code ScanIndex}. */
public final class ScanCodec {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(ValueTypesJson.module());
    private static final TypeReference<List<PlatformFinding>> FINDINGS = new TypeReference<>() { };

    /** A finding with the platform ({@code os/arch[/variant]}) of the image it was found in, or null. */
    public record PlatformFinding(String platform, Finding finding) {
    }

    private ScanCodec() {
    }

    public static byte[] inventory(ImageInventory inventory) {
        return write(inventory);
    }

    public static ImageInventory inventory(byte[] bytes) {
        return read(bytes, in -> JSON.readValue(in, ImageInventory.class));
    }

    public static byte[] findings(List<PlatformFinding> findings) {
        return write(findings);
    }

    public static List<PlatformFinding> findings(byte[] bytes) {
        return read(bytes, in -> JSON.readValue(in, FINDINGS));
    }

    private static byte[] write(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            JSON.writeValue(gzip, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private interface Reader<T> {
        T read(InputStream in) throws IOException;
    }

    private static <T> T read(byte[] bytes, Reader<T> reader) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return reader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("stored scan data unreadable", e);
        }
    }
}
