package io.wharf.server.ecr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * SerializationException messages in the request's own terms: the member's path as the ECR model
 * names it ({@code filter.tagStatus}, {@code imageIds[0].imageTag}) and the JSON types involved.
 * Jackson's own messages name Java classes, which are ours and mean nothing to a client.
 */
final class JsonFailures {
    private JsonFailures() {
    }

    /** @param body the request body, read again to tell what the member held */
    static String describe(JsonProcessingException e, byte[] body) {
        String member = e instanceof JsonMappingException m ? path(m.getPath()) : "";
        if (cause(e, InputCoercionException.class) != null) {
            return "Value of member '" + member + "' is out of range for an integer";
        }
        if (e instanceof MismatchedInputException m && !member.isEmpty()) {
            String found = found(valueAt(body, m.getPath()));
            return "Value of member '" + member + "' must be " + expected(m.getTargetType())
                    + (found == null ? "" : ", not " + found);
        }
        if (e instanceof MismatchedInputException) {
            return "The request body must be one JSON object";
        }
        if (e instanceof StreamReadException r && r.getLocation() != null) {
            return "The request body is not valid JSON (line " + r.getLocation().getLineNr() + ", column "
                    + r.getLocation().getColumnNr() + ")";
        }
        return "The request body is not valid JSON";
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** {@code imageIds[0].imageTag}; record components keep their model names. */
    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        } else if (type == String.class) {
            return "a string";
        } else if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        } else if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        } else if (Number.class.isAssignableFrom(type)) {
            return "a number";
        } else if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        } else if (Map.class.isAssignableFrom(type)) {
            return "a map";
        }
        return "a structure";
    }

    /** The value the failed member held, from the body parsed as a tree (only on this error path). */
    private static JsonNode valueAt(byte[] body, List<JsonMappingException.Reference> refs) {
        try {
            JsonNode node = EcrJson.MAPPER.readTree(body);
            for (JsonMappingException.Reference r : refs) {
                node = node == null ? null : r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
            }
            return node;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String found(JsonNode node) {
        if (node == null) {
            return null;
        }
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> node.isIntegralNumber() ? "an integer" : "a number with a fraction or exponent";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "a list";
            case OBJECT -> "a structure";
            case NULL -> "null";
            default -> null;
        };
    }
}
