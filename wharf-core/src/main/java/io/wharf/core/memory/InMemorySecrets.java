package io.wharf.core.memory;

import io.wharf.core.spi.SecretIndex;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link SecretIndex} in memory. */
final class InMemorySecrets implements SecretIndex {
    private final Map<String, TreeMap<String, StoredSecret>> secrets = new HashMap<>();

    private TreeMap<String, StoredSecret> of(String account) {
        return secrets.computeIfAbsent(account, a -> new TreeMap<>());
    }

    @Override
    public synchronized boolean putSecret(String account, String name, String description, byte[] sealed, Instant now) {
        StoredSecret old = of(account).get(name);
        Instant created = old == null ? now : old.createdAt();
        of(account).put(name, new StoredSecret(account, name, description, sealed.clone(), created, now));
        return old == null;
    }

    @Override
    public synchronized Optional<StoredSecret> findSecret(String account, String name) {
        return Optional.ofNullable(of(account).get(name));
    }

    @Override
    public synchronized List<StoredSecret> listSecrets(String account, String afterName, int limit) {
        var view = afterName == null ? of(account) : of(account).tailMap(afterName, false);
        return view.values().stream().limit(limit).toList();
    }

    @Override
    public synchronized boolean deleteSecret(String account, String name) {
        return of(account).remove(name) != null;
    }
}
