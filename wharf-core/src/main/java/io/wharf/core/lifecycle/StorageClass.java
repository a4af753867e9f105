package io.wharf.core.lifecycle;

/** Where an image is kept: pullable standard storage, or the archive (not pullable, 90-day minimum). */
public enum StorageClass implements Vocabulary {
    STANDARD("standard"), ARCHIVE("archive");

    private final String json;

    StorageClass(String json) {
        this.json = json;
    }

    @Override
    public String json() {
        return json;
    }
}
