package io.wharf.core.spi;

import io.wharf.core.template.CreationTemplate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Repository creation templates and account settings, per account. Called inside a unit of work
 * ({@link Transactions#inTransaction}) each method joins it, so a repository is created with the template it read.
 */
public interface TemplateIndex {

    /** Stores a new template (its own created/updated times). False when the account has one with that prefix. */
    boolean createTemplate(String account, CreationTemplate template);

    /** Replaces the template with the same prefix, keeping its creation time. False when there is none. */
    boolean updateTemplate(String account, CreationTemplate template);

    /** False when there was none. */
    boolean deleteTemplate(String account, String prefix);

    Optional<CreationTemplate> findTemplate(String account, String prefix);

    /** The account's templates by prefix, from after {@code afterPrefix} (null: from the start), at most {@code limit}. */
    List<CreationTemplate> templates(String account, String afterPrefix, int limit);

    long countTemplates(String account);

    /** An account setting's stored value (settings never put are empty: the caller knows the default). */
    Optional<String> accountSetting(String account, String name);

    void putAccountSetting(String account, String name, String value, Instant now);
}
