package io.wharf.server.oci;

/**
 * The {@code Content-Range} of an upload chunk. The spec writes it {@code <start>-<end>}
 * (inclusive); some clients send the RFC form {@code bytes <start>-<end>/<total>}; both parse.
 */
record ContentRange(long start, long end) {

    long length() {
        return end - start + 1;
    }

    /** Null when absent. */
    static ContentRange parse(String header) {
        if (header == null) {
            return null;
        }
        String s = header.trim();
        if (s.startsWith("bytes")) {
            s = s.substring(5).trim();
            if (s.startsWith("=")) {
                s = s.substring(1).trim();
            }
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        int dash = s.indexOf('-');
        try {
            long start = Long.parseLong(s.substring(0, dash).trim());
            long end = Long.parseLong(s.substring(dash + 1).trim());
            if (start < 0 || end < start || end == Long.MAX_VALUE) { // the last: its length would overflow
                throw invalid(header);
            }
            return new ContentRange(start, end);
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw invalid(header);
        }
    }

    private static OciProblem invalid(String header) {
        return new OciProblem(OciError.RANGE_INVALID, "invalid Content-Range", header);
    }
}
