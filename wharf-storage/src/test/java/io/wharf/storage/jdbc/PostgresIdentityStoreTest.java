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

    @Override
    protected IdentityStore createStore() {
        metadata = (JdbcMetadataStore) PostgresServer.newStore();
        return JdbcIdentityStore.sharing(metadata, SEALER);
    }

    @Override
    protected void closeStore() {
        metadata.close();
    }
}
