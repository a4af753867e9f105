package io.wharf.server.oci;

/** One satisfiable {@code Range: bytes=a-b} of a blob (inclusive ends). Multiple ranges are not served. */
record ByteRange(long start, long end) {

    long length() {
        return end - start + 1;
    }

    /**
     * Null when there is no Range header, or it asks for several ranges (the whole blob is sent,
     * which RFC 9110 permits). A malformed or unsatisfiable single range is RANGE_INVALID (416).
     */
    static ByteRange parse(String header, long size) {
        if (header == null || header.indexOf(',') >= 0) {
            return null;
        }
        if (!header.startsWith("bytes=")) {
            throw invalid(header);
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            throw invalid(header);
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) { // suffix range: the last b bytes
                long n = Long.parseLong(b);
                if (n <= 0 || size == 0) {
                    throw invalid(header);
                }
                return new ByteRange(Math.max(0, size - n), size - 1);
            }
            long start = Long.parseLong(a);
            long end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (start < 0 || start >= size || end < start) {
                throw invalid(header);
            }
            return new ByteRange(start, end);
        } catch (NumberFormatException e) {
            throw invalid(header);
        }
    }

    private static OciProblem invalid(String header) {
        return new OciProblem(OciError.RANGE_INVALID, "range not satisfiable", header);
    }
}
