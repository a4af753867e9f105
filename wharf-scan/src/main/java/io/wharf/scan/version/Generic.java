package io.wharf.scan.version;

/**
 * The fallback for ecosystems without a scheme of their own: digit runs numerically, letter runs as strings,
 * separators ignored, a letter run below a number (as in {@code 1.0rc1 < 1.0.1}), missing parts as 0.
 */
final class Generic implements VersionScheme {
    static final Generic INSTANCE = new Generic();

    @Override
    public String name() {
        return "generic";
    }

    @Override
    public boolean valid(String v) {
        return v != null && !v.isBlank();
    }

    @Override
    public int compare(String a, String b) {
        return Gem.INSTANCE.compare(a.replace('-', '.'), b.replace('-', '.'));
    }
}
