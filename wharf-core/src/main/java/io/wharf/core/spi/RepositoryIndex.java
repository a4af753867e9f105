package io.wharf.core.spi;

import io.wharf.core.model.RepositoryName;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Repositories of an account. */
public interface RepositoryIndex {

    Optional<Repository> findRepository(String account, RepositoryName name);

    /** Creates the repository, or returns the existing one (safe under concurrent callers). */
    Repository createRepository(String account, RepositoryName name, Instant now);

    /** Names in lexical order, strictly after {@code after} (null: from the start), at most {@code limit}. */
    List<RepositoryName> listRepositories(String account, RepositoryName after, int limit);
}
