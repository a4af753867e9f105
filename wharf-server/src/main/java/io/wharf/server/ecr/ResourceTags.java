package io.wharf.server.ecr;

import io.wharf.server.ecr.Shapes.TagShape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Resource tag lists as the model constrains them: keys 1–128, values 0–256, {@code aws:} reserved. */
final class ResourceTags {
    private ResourceTags() {
    }

    static Map<String, String> parse(List<TagShape> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        if (tags == null) {
            return out;
        }
        for (TagShape t : tags) {
            out.put(key(t.key()), value(t.value()));
        }
        return out;
    }

    static String key(String key) {
        if (key == null || key.isEmpty() || key.length() > 128) {
            throw invalid("Tag keys must be between 1 and 128 characters long");
        }
        if (key.regionMatches(true, 0, "aws:", 0, 4)) {
            throw invalid("Tag keys starting with 'aws:' are reserved for AWS use");
        }
        return key;
    }

    private static String value(String value) {
        if (value == null || value.length() > 256) {
            throw invalid("Tag values must be between 0 and 256 characters long");
        }
        return value;
    }

    private static EcrProblem invalid(String message) {
        return new EcrProblem(EcrError.InvalidTagParameterException, message);
    }
}
