package io.wharf.core.lifecycle;

/** Which images a rule looks at: those with at least one tag, those with none, or all of them. */
public enum TagStatus implements Vocabulary {
    TAGGED("tagged"), UNTAGGED("untagged"), ANY("any");

    private final String json;

    TagStatus(String json) {
        this.json = json;
    }

    @Override
    public String json() {
        return json;
    }
}
