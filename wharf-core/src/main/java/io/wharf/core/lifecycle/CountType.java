package io.wharf.core.lifecycle;

/** What a rule counts: images beyond the newest N, or days since an image was pushed, pulled or archived. */
public enum CountType implements Vocabulary {
    IMAGE_COUNT_MORE_THAN("imageCountMoreThan"),
    SINCE_IMAGE_PUSHED("sinceImagePushed"),
    SINCE_IMAGE_PULLED("sinceImagePulled"),
    SINCE_IMAGE_TRANSITIONED("sinceImageTransitioned");

    private final String json;

    CountType(String json) {
        this.json = json;
    }

    @Override
    public String json() {
        return json;
    }

    /** True for the age-based types, which take a {@code countUnit}. */
    public boolean isAge() {
        return this != IMAGE_COUNT_MORE_THAN;
    }
}
