package io.wharf.server.ecr;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * AWS JSON 1.1 as ECR clients read and write it: timestamps are epoch seconds as JSON numbers
 * (the Go SDK behind Terraform accepts nothing else), absent members are omitted, and a value of
 * the wrong JSON type is a SerializationException rather than silently coerced.
 */
final class EcrJson {
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    static final ObjectMapper MAPPER = strict(JsonMapper.builder())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // newer SDKs may send newer members
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(new SimpleModule().addSerializer(Instant.class, new EpochSeconds()))
            .build();

    /**
     * Every member only from its own JSON type: no number or boolean as a string, no fraction or
     * string as an integer, no number or string as a boolean, no "" as null. Jackson's
     * ALLOW_COERCION_OF_SCALARS alone still turns numbers and booleans into strings.
     */
    private static JsonMapper.Builder strict(JsonMapper.Builder b) {
        b.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS).disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        for (LogicalType type : LogicalType.values()) {
            b.withCoercionConfig(type, c -> {
                for (CoercionInputShape shape : CoercionInputShape.values()) {
                    c.setCoercion(shape, CoercionAction.Fail);
                }
                c.setAcceptBlankAsEmpty(false);
            });
        }
        return b;
    }

    private EcrJson() {
    }

    static <T> T read(byte[] body, Class<T> type) {
        try {
            T value = MAPPER.readValue(body.length == 0 ? "{}".getBytes() : body, type);
            if (value == null) {
                throw new EcrProblem(EcrError.SerializationException, "The request body must be a JSON object");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new EcrProblem(EcrError.SerializationException, JsonFailures.describe(e, body));
        } catch (IOException e) {
            throw new EcrProblem(EcrError.SerializationException, "The request body could not be read");
        }
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code 1563223656.123}: seconds with millisecond fraction, never an exponent or a string. */
    private static final class EpochSeconds extends StdSerializer<Instant> {
        EpochSeconds() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeNumber(BigDecimal.valueOf(value.toEpochMilli(), 3).toPlainString());
        }
    }
}
