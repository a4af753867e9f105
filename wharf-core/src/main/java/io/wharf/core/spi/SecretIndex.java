package io.wharf.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Named secrets of an account (pull-through credentials), stored sealed: this index never sees them in the clear;
 * the server seals and opens them.
 */
public interface SecretIndex {

    /** One secret as stored. {@code description} may be null. */
    record StoredSecret(String account, String name, String description, byte[] sealed, Instant createdAt,
                        Instant updatedAt) {
        @Override
        public String toString() {
            return "StoredSecret[" + account + "/" + name + "]";
        }
    }

    /** Creates the secret, or replaces its value and description keeping its creation time. True when created. */
    boolean putSecret(String account, String name, String description, byte[] sealed, Instant now);

    Optional<StoredSecret> findSecret(String account, String name);

    /** The account's secrets by name, after {@code afterName} (null: from the start), at most {@code limit}. */
    List<StoredSecret> listSecrets(String account, String afterName, int limit);

    /** False when there was none. */
    boolean deleteSecret(String account, String name);
}
