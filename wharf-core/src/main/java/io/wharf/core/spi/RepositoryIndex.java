package io.wharf.core.spi;

import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.RepositorySettings;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Repositories of an account. */
public interface RepositoryIndex {

    Optional<Repository> findRepository(String account, RepositoryName name);

    /** Creates the repository, or returns the existing one (safe under concurrent callers). */
    Repository createRepository(String account, RepositoryName name, Instant now);

    /** Creates a repository with {@code settings}; empty when the name is already taken. */
    default Optional<Repository> createRepository(String account, RepositoryName name, RepositorySettings settings,
                                                  Instant now) {
        return createRepository(account, name, settings, Map.of(), now);
    }

    /**
     * Creates a repository with {@code settings} and its resource {@code tags} in one step: a repository never
     * exists without the tags it was created with. Empty when the name is already taken.
     */
    Optional<Repository> createRepository(String account, RepositoryName name, RepositorySettings settings,
                                          Map<String, String> tags, Instant now);

    /** Whole rows in name order, strictly after {@code after} (null: from the start), at most {@code limit}. */
    List<Repository> describeRepositories(String account, RepositoryName after, int limit);

    /**
     * Whole rows in reverse name order, strictly before {@code before} (null: from the end), at most {@code limit}:
     * the console's list sorted Z to A, paged as the forward list is.
     */
    List<Repository> describeRepositoriesDescending(String account, RepositoryName before, int limit);

    long countRepositories(String account);

    /**
     * Replaces the settings; false when the repository is gone. A change of the scan-on-push flag is dated
     * {@code now} ({@link Repository#scanOnPushChangedAt}); the other settings are not dated.
     */
    boolean updateRepositorySettings(long repositoryId, RepositorySettings settings, Instant now);

    /** Deletes the repository with everything in it (images, tags, links, uploads, documents). False when absent. */
    boolean deleteRepository(long repositoryId);

    /**
     * Every repository, of every account, that holds a document of {@code kind} (the lifecycle runner's work list),
     * in id order.
     */
    List<Repository> repositoriesWithDocument(DocumentKind kind);

    /** Names in lexical order, strictly after {@code after} (null: from the start), at most {@code limit}. */
    List<RepositoryName> listRepositories(String account, RepositoryName after, int limit);
}
