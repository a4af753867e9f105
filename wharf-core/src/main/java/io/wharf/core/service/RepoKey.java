package io.wharf.core.service;

import io.wharf.core.model.RepositoryName;

/** A repository as requests name it: the account it lives in and its name. */
public record RepoKey(String account, RepositoryName name) {
    @Override
    public String toString() {
        return name.value();
    }
}
