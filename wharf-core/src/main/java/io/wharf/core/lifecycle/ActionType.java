package io.wharf.core.lifecycle;

/** What a rule does to the images it selects: delete them, or move them to another storage class. */
public enum ActionType implements Vocabulary {
    EXPIRE("expire"), TRANSITION("transition");

    private final String json;

    ActionType(String json) {
        this.json = json;
    }

    @Override
    public String json() {
        return json;
    }
}
