package io.wharf.core.identity;

import java.util.Objects;

/** An inline identity policy of a user or a role: its name and the JSON document exactly as it was put. */
public record UserPolicy(String name, String document) {
    public UserPolicy {
        IdentityNames.requirePolicyName(name);
        Objects.requireNonNull(document, "document");
    }
}
