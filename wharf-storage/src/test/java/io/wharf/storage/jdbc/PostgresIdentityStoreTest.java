package io.wharf.storage.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wharf.core.identity.IdentityStore;
import io.wharf.core.identity.IdentityStoreContract;
import io.wharf.core.identity.SecretSealer;
import org.junit.jupiter.api.Tag;

/** Identities in PostgreSQL: user names compare without regard to case through the wharf_nocase collation. */
@Tag("postgres")
class PostgresIdentityStoreTest extends IdentityStoreContract {
    /** Reversible and bound to the key id, which is all the store may rely on. */
    private static final SecretSealer SEALER = new SecretSealer() {
        @Override
        public byte[] seal(String keyId, String secret) {
            return (keyId + ":" + secret).getBytes(UTF_8);
        }

        @Override
        public String open(String keyId, byte[] sealed) {
            String plain = new String(sealed, UTF_8);
            if (!plain.startsWith(keyId + ":")) {
                throw new IllegalStateException("sealed for another key");
            }
            return plain.substring(keyId.length() + 1);
        }
    };

    private JdbcMetadataStore metadata;
    private String url;

    @Override
    protected IdentityStore createStore() {
        url = PostgresServer.get().createDatabase();
        metadata = PostgresServer.get().openStore(url);
        return JdbcIdentityStore.sharing(metadata, SEALER);
    }

    /** Nodes bootstrapping the root at once (two stores, many connections): exactly one key, round after round. */
    @org.junit.jupiter.api.Test
    void concurrentFirstKeysStoreExactlyOne() throws Exception {
        JdbcMetadataStore second = PostgresServer.get().openStore(url);
        try {
            IdentityStore other = JdbcIdentityStore.sharing(second, SEALER);
            for (int round = 0; round < 10; round++) {
                String account = String.format("%012d", round + 1);
                store.ensureAccount(account, T0);
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(8);
                java.util.List<java.util.concurrent.Callable<Boolean>> calls = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    IdentityStore node = i % 2 == 0 ? store : other;
                    String id = String.format("AKIAAAAAAAAAAAAA%02d%02d", round, i);
                    calls.add(() -> {
                        start.await();
                        return node.createFirstAccessKey(new io.wharf.core.identity.AccessKey(id, SECRET, account, null,
                                io.wharf.core.identity.AccessKey.Status.ACTIVE, T0));
                    });
                }
                int created = 0;
                try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
                    for (var f : pool.invokeAll(calls)) {
                        created += f.get() ? 1 : 0;
                    }
                }
                org.assertj.core.api.Assertions.assertThat(created).as("round " + round).isEqualTo(1);
                org.assertj.core.api.Assertions.assertThat(store.listAccessKeys(account, null)).hasSize(1);
            }
        } finally {
            second.close();
        }
    }

    @Override
    protected void closeStore() {
        metadata.close();
    }
}
