package io.wharf.core.gallery;

import io.wharf.core.error.ParameterInvalidException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a gallery shows of a repository (ECR Public's repository catalog data). Every text is optional; the lists are
 * never null. Built through {@link #of}, which checks the limits ECR Public's model states.
 *
 * @param logo the logo image, or null
 */
public record CatalogData(String description, String aboutText, String usageText, List<String> architectures,
                          List<String> operatingSystems, Logo logo) {
    public static final CatalogData EMPTY = new CatalogData(null, null, null, List.of(), List.of(), null);
    public static final int MAX_DESCRIPTION_CHARS = 1024;
    public static final int MAX_MARKDOWN_CHARS = 25_600;
    public static final int MAX_LIST_ENTRIES = 50;
    public static final int MAX_LIST_ENTRY_CHARS = 50;

    public CatalogData {
        architectures = List.copyOf(architectures);
        operatingSystems = List.copyOf(operatingSystems);
    }

    /** Validated catalog data; null lists are empty, blank texts absent. */
    public static CatalogData of(String description, String aboutText, String usageText, List<String> architectures,
                                 List<String> operatingSystems, Logo logo) {
        return new CatalogData(text("description", description, MAX_DESCRIPTION_CHARS),
                text("aboutText", aboutText, MAX_MARKDOWN_CHARS), text("usageText", usageText, MAX_MARKDOWN_CHARS),
                list("architectures", architectures), list("operatingSystems", operatingSystems), logo);
    }

    /** Whether every {@code terms} entry (lower case) occurs in the name or in this data's searchable texts. */
    public boolean matches(String name, List<String> terms) {
        String haystack = String.join("\n", name, Objects.toString(description, ""), Objects.toString(aboutText, ""),
                String.join("\n", architectures), String.join("\n", operatingSystems)).toLowerCase(java.util.Locale.ROOT);
        return terms.stream().allMatch(haystack::contains);
    }

    private static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            throw new ParameterInvalidException(field + " is longer than " + max + " characters", field);
        }
        return value;
    }

    private static List<String> list(String field, List<String> values) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_LIST_ENTRIES) {
            throw new ParameterInvalidException(field + " has more than " + MAX_LIST_ENTRIES + " entries", field);
        }
        for (String v : values) {
            if (v == null || v.isBlank() || v.length() > MAX_LIST_ENTRY_CHARS || v.indexOf('\n') >= 0) {
                throw new ParameterInvalidException(field + " entries must be 1 to " + MAX_LIST_ENTRY_CHARS
                        + " characters on one line", field);
            }
        }
        return values.stream().distinct().toList();
    }

    /** A PNG or JPEG image of at most {@link #MAX_BYTES} bytes (ECR Public's limit for {@code logoImageBlob}). */
    public record Logo(String mediaType, byte[] bytes) {
        public static final int MAX_BYTES = 512_000;

        public Logo {
            Objects.requireNonNull(mediaType, "mediaType");
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** The image's type from its first bytes; PNG and JPEG only. */
        public static Logo of(byte[] bytes) {
            if (bytes.length > MAX_BYTES) {
                throw new ParameterInvalidException("the logo is larger than " + MAX_BYTES + " bytes", "logoImageBlob");
            }
            if (bytes.length > 8 && bytes[0] == (byte) 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
                return new Logo("image/png", bytes);
            }
            if (bytes.length > 3 && bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xD8 && bytes[2] == (byte) 0xFF) {
                return new Logo("image/jpeg", bytes);
            }
            throw new ParameterInvalidException("the logo must be a PNG or JPEG image", "logoImageBlob");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Logo l && l.mediaType.equals(mediaType) && Arrays.equals(l.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return mediaType.hashCode() * 31 + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Logo[" + mediaType + ", " + bytes.length + " bytes]";
        }
    }
}
