package io.wharf.scan.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.wharf.core.model.Digest;
import io.wharf.scan.model.ImageInventory;
import io.wharf.scan.vuln.Finding;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** A scan's stored inventory and findings: gzip-compressed JSON, opaque to the {@code ScanIndex}. */
public final class ScanCodec {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule("wharf-scan-values")
                    .addSerializer(Digest.class, text(Digest::toString))
                    .addDeserializer(Digest.class, parsed(Digest::parse))
                    .addSerializer(Instant.class, text(Instant::toString))
                    .addDeserializer(Instant.class, parsed(Instant::parse)));
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

    private static <T> JsonSerializer<T> text(Function<T, String> format) {
        return new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(format.apply(value));
            }
        };
    }

    private static <T> JsonDeserializer<T> parsed(Function<String, T> parse) {
        return new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return parse.apply(p.getValueAsString());
            }
        };
    }
}
