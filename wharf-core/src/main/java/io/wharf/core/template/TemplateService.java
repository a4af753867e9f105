package io.wharf.core.template;

import io.wharf.core.error.CreationTemplateException;
import io.wharf.core.error.LimitExceededException;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.TemplateIndex;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Repository creation templates (Create/Describe/Update/Delete) and account settings (Get/Put). */
public final class TemplateService {
    /** ECR's quota of creation templates per registry. */
    public static final int DEFAULT_MAX_TEMPLATES = 50;

    private final MetadataStore meta;
    private final Clock clock;
    private final int maxTemplates;

    public TemplateService(MetadataStore meta, Clock clock, int maxTemplates) {
        this.meta = meta;
        this.clock = clock;
        this.maxTemplates = maxTemplates;
    }

    /** Stores a validated template; the count and the insert are one unit of work. */
    public CreationTemplate create(String account, CreationTemplate template) {
        TemplateRules.validate(template);
        Instant now = clock.instant();
        CreationTemplate stamped = template.withTimes(now, now);
        return meta.inTransaction("create a creation template", unit -> {
            TemplateIndex index = meta.templates();
            if (index.countTemplates(account) >= maxTemplates) {
                throw new LimitExceededException("The maximum number of repository creation templates (" + maxTemplates
                        + ") in the registry with id '" + account + "' has been reached", account);
            }
            if (!index.createTemplate(account, stamped)) {
                throw exists(account, template.prefix());
            }
            return stamped;
        });
    }

    /** Reads, changes and writes the template in one unit of work. */
    public CreationTemplate update(String account, String prefix, UnaryOperator<CreationTemplate> change) {
        return meta.inTransaction("update a creation template", unit -> {
            CreationTemplate old = require(account, prefix);
            CreationTemplate changed = change.apply(old).withTimes(old.createdAt(), clock.instant());
            TemplateRules.validate(changed);
            if (!meta.templates().updateTemplate(account, changed)) {
                throw notFound(account, prefix);
            }
            return changed;
        });
    }

    /** Removes and returns the template. */
    public CreationTemplate delete(String account, String prefix) {
        return meta.inTransaction("delete a creation template", unit -> {
            CreationTemplate old = require(account, prefix);
            meta.templates().deleteTemplate(account, prefix);
            return old;
        });
    }

    public CreationTemplate require(String account, String prefix) {
        return find(account, prefix).orElseThrow(() -> notFound(account, prefix));
    }

    public Optional<CreationTemplate> find(String account, String prefix) {
        return meta.templates().findTemplate(account, prefix);
    }

    /** Up to {@code limit} templates after {@code afterPrefix} (null: from the first). */
    public List<CreationTemplate> page(String account, String afterPrefix, int limit) {
        return meta.templates().templates(account, afterPrefix, limit);
    }

    /**
     * The template a repository the registry creates for {@code reason} starts from: of the templates applied for
     * {@code reason} that cover the name, the longest prefix; ROOT when no other does.
     */
    public static Optional<CreationTemplate> matching(TemplateIndex index, String account, RepositoryName name,
                                                      AppliedFor reason) {
        return index.templates(account, null, Integer.MAX_VALUE).stream()
                .filter(t -> t.appliedFor().contains(reason) && t.covers(name))
                .max(Comparator.comparingInt(CreationTemplate::specificity));
    }

    public String setting(String account, AccountSetting setting) {
        return setting.valueIn(meta.templates(), account);
    }

    /** Stores the value once the setting accepts it; returns it. */
    public String putSetting(String account, AccountSetting setting, String value) {
        String accepted = setting.validate(value);
        meta.templates().putAccountSetting(account, setting.name(), accepted, clock.instant());
        return accepted;
    }

    private static CreationTemplateException exists(String account, String prefix) {
        return new CreationTemplateException(CreationTemplateException.Kind.ALREADY_EXISTS,
                "The repository creation template with prefix '" + prefix + "' already exists in the registry with id '"
                        + account + "'", prefix);
    }

    private static CreationTemplateException notFound(String account, String prefix) {
        return new CreationTemplateException(CreationTemplateException.Kind.NOT_FOUND,
                "The repository creation template with prefix '" + prefix + "' does not exist in the registry with id '"
                        + account + "'", prefix);
    }
}
