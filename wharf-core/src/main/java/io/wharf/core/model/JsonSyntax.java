package io.wharf.core.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Pattern;

/**
 * Why a document (a manifest, a policy) is not JSON, for the client that sent it: where, and the
 * parser's reason without its internals (its source description names Jackson settings).
 */
public final class JsonSyntax {
    private static final Pattern START_MARKER = Pattern.compile("\\s*\\(start marker at \\[Source:.*", Pattern.DOTALL);

    private JsonSyntax() {
    }

    /** {@code "at line 1, column 2: Unexpected end-of-input: expected close marker for Object"} */
    public static String describe(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : "at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        String reason = e.getOriginalMessage() == null ? "malformed" : e.getOriginalMessage();
        return where + START_MARKER.matcher(reason).replaceFirst("").lines().findFirst().orElse("malformed");
    }
}
