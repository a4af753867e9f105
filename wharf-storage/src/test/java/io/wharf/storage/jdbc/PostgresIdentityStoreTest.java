package io.wharf.storage.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.identity.IdentityException;
import io.wharf.core.identity.IdentityStore;
import io.wharf.core.identity.IdentityStoreContract;
import io.wharf.core.identity.SecretSealer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

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

    /** Checks and inserts on several connections: the losers are told the user exists, not a key violation. */
    @Test
    void concurrentCreatesOfOneUserHaveOneWinnerAndClearAnswers() throws Exception {
        IdentityStore identities = store;
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 10; round++) {
                String account = String.valueOf(100000000000L + round);
                CyclicBarrier start = new CyclicBarrier(4);
                List<Future<Object>> results = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String name = i % 2 == 0 ? "user" : "USER"; // the same name to IAM
                    results.add(threads.submit(() -> {
                        start.await();
                        identities.ensureAccount(account, Instant.EPOCH);
                        return identities.createUser(account, name, Instant.EPOCH);
                    }));
                }
                List<Throwable> failures = new ArrayList<>();
                for (Future<Object> f : results) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        failures.add(e.getCause());
                    }
                }
                assertThat(failures).as("round " + round).hasSize(3).allSatisfy(e -> assertThat(e)
                        .isInstanceOfSatisfying(IdentityException.class,
                                x -> assertThat(x.kind()).isEqualTo(IdentityException.Kind.ENTITY_ALREADY_EXISTS)));
                assertThat(identities.listUsers(account)).hasSize(1);
            }
        } finally {
            threads.shutdownNow();
        }
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

    /** Two nodes accepting the same MFA code at once: the compare-and-set lets exactly one through, round after round. */
    @Test
    void concurrentUsesOfOneMfaCodeHaveOneWinner() throws Exception {
        JdbcMetadataStore second = PostgresServer.get().openStore(url);
        try (var pool = Executors.newFixedThreadPool(8)) {
            IdentityStore other = JdbcIdentityStore.sharing(second, SEALER);
            store.createUser(ACCOUNT, "alice", T0);
            store.createMfaDevice(new io.wharf.core.identity.MfaDevice(ACCOUNT, "alice", new byte[20], -1, T0));
            for (long step = 1; step <= 10; step++) {
                long s = step;
                CyclicBarrier start = new CyclicBarrier(8);
                List<java.util.concurrent.Callable<Boolean>> calls = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    IdentityStore node = i % 2 == 0 ? store : other;
                    calls.add(() -> {
                        start.await();
                        return node.useMfaStep(ACCOUNT, "alice", s);
                    });
                }
                int accepted = 0;
                for (Future<Boolean> f : pool.invokeAll(calls)) {
                    accepted += f.get() ? 1 : 0;
                }
                assertThat(accepted).as("step " + step).isEqualTo(1);
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
