package io.wharf.core.memory;

import io.wharf.core.spi.TemplateIndex;
import io.wharf.core.template.CreationTemplate;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link TemplateIndex} in memory: templates by account and prefix, settings by account and name. */
final class InMemoryTemplates implements TemplateIndex {
    private final Map<String, TreeMap<String, CreationTemplate>> templates = new HashMap<>();
    private final Map<String, String> settings = new HashMap<>();

    private TreeMap<String, CreationTemplate> of(String account) {
        return templates.computeIfAbsent(account, a -> new TreeMap<>());
    }

    @Override
    public synchronized boolean createTemplate(String account, CreationTemplate template) {
        return of(account).putIfAbsent(template.prefix(), template) == null;
    }

    @Override
    public synchronized boolean updateTemplate(String account, CreationTemplate template) {
        CreationTemplate old = of(account).get(template.prefix());
        if (old == null) {
            return false;
        }
        of(account).put(template.prefix(), template.withTimes(old.createdAt(), template.updatedAt()));
        return true;
    }

    @Override
    public synchronized boolean deleteTemplate(String account, String prefix) {
        return of(account).remove(prefix) != null;
    }

    @Override
    public synchronized Optional<CreationTemplate> findTemplate(String account, String prefix) {
        return Optional.ofNullable(of(account).get(prefix));
    }

    @Override
    public synchronized List<CreationTemplate> templates(String account, String afterPrefix, int limit) {
        var view = afterPrefix == null ? of(account) : of(account).tailMap(afterPrefix, false);
        return view.values().stream().limit(limit).toList();
    }

    @Override
    public synchronized long countTemplates(String account) {
        return of(account).size();
    }

    @Override
    public synchronized Optional<String> accountSetting(String account, String name) {
        return Optional.ofNullable(settings.get(account + "\n" + name));
    }

    @Override
    public synchronized void putAccountSetting(String account, String name, String value, Instant now) {
        settings.put(account + "\n" + name, value);
    }
}
