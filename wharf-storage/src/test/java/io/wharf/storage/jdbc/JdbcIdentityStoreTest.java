package io.wharf.storage.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.identity.AccessKey;
import io.wharf.core.identity.IdentityStore;
import io.wharf.core.identity.IdentityStoreContract;
import io.wharf.core.identity.SecretSealer;
import io.wharf.core.model.RepositoryName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcIdentityStoreTest extends IdentityStoreContract {
    /** Reversible and bound to the key id, which is all the store may rely on. */
    private static final SecretSealer SEALER = new SecretSealer() {
        @Override
        public byte[] seal(String keyId, String secret) {
            return new StringBuilder(keyId + ":" + secret).reverse().toString().getBytes(UTF_8);
        }

        @Override
        public String open(String keyId, byte[] sealed) {
            String plain = new StringBuilder(new String(sealed, UTF_8)).reverse().toString();
            if (!plain.startsWith(keyId + ":")) {
                throw new IllegalStateException("sealed for another key");
            }
            return plain.substring(keyId.length() + 1);
        }
    };

    @TempDir
    Path dataDir;
    private JdbcMetadataStore metadata;

    @Override
    protected IdentityStore createStore() {
        metadata = SqliteMetadataStore.open(dataDir);
        return JdbcIdentityStore.sharing(metadata, SEALER);
    }

    @Override
    protected void closeStore() {
        metadata.close();
    }

    @Test
    void secretsAreStoredSealed() {
        store.createAccessKey(new AccessKey("AKIAAAAAAAAAAAAAAAA1", SECRET, ACCOUNT, null, AccessKey.Status.ACTIVE, T0));
        byte[] raw = metadata.jdbc().read("raw", c -> Jdbc.queryOne(c,
                "SELECT secret FROM iam_access_key", rs -> rs.getBytes("secret")).orElseThrow());
        assertThat(new String(raw, UTF_8)).doesNotContain(SECRET);
    }

    @Test
    void identitiesSurviveReopening() {
        store.createUser(ACCOUNT, "alice", T0);
        metadata.close();
        store = createStore();
        assertThat(store.findUser(ACCOUNT, "alice")).isPresent();
    }

    @Test
    void identityAndRegistryWritesShareTheSingleWriter() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                done.add(pool.submit(() -> store.createUser(ACCOUNT, "user" + n, T0)));
                done.add(pool.submit(() -> metadata.createRepository(ACCOUNT, RepositoryName.parse("repo" + n), T0)));
            }
            for (Future<?> f : done) {
                f.get(); // SQLITE_BUSY or a pool timeout would surface here
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.listUsers(ACCOUNT)).hasSize(40);
    }
}
