package io.wharf.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.spi.SecretIndex.StoredSecret;
import org.junit.jupiter.api.Test;

/** The contract of {@link SecretIndex}; every backend runs it. */
public abstract class SecretIndexContract extends MetadataStoreFixture {

    @Test
    void aSecretIsStoredAsSealedBytesPerAccount() {
        SecretIndex secrets = store.secrets();
        assertThat(secrets.putSecret(ACCOUNT, "ecr-pullthroughcache/hub", "docker hub", new byte[] {1, 2, 3}, at(1))).isTrue();
        StoredSecret s = secrets.findSecret(ACCOUNT, "ecr-pullthroughcache/hub").orElseThrow();
        assertThat(s.sealed()).containsExactly(1, 2, 3);
        assertThat(s.description()).isEqualTo("docker hub");
        assertThat(s.createdAt()).isEqualTo(at(1));
        assertThat(s.updatedAt()).isEqualTo(at(1));
        assertThat(secrets.findSecret(OTHER_ACCOUNT, "ecr-pullthroughcache/hub")).isEmpty();
    }

    @Test
    void puttingAgainReplacesTheValueAndKeepsTheCreationTime() {
        SecretIndex secrets = store.secrets();
        secrets.putSecret(ACCOUNT, "n", null, new byte[] {1}, at(1));
        assertThat(secrets.putSecret(ACCOUNT, "n", "new", new byte[] {9, 9}, at(4))).isFalse();
        StoredSecret s = secrets.findSecret(ACCOUNT, "n").orElseThrow();
        assertThat(s.sealed()).containsExactly(9, 9);
        assertThat(s.description()).isEqualTo("new");
        assertThat(s.createdAt()).isEqualTo(at(1));
        assertThat(s.updatedAt()).isEqualTo(at(4));
    }

    @Test
    void listingPagesByNameAndDeleteRemoves() {
        SecretIndex secrets = store.secrets();
        for (String n : new String[] {"c", "a", "b"}) {
            secrets.putSecret(ACCOUNT, n, null, new byte[] {0}, at(1));
        }
        secrets.putSecret(OTHER_ACCOUNT, "x", null, new byte[] {0}, at(1));
        assertThat(secrets.listSecrets(ACCOUNT, null, 10)).extracting(StoredSecret::name).containsExactly("a", "b", "c");
        assertThat(secrets.listSecrets(ACCOUNT, "a", 1)).extracting(StoredSecret::name).containsExactly("b");
        assertThat(secrets.deleteSecret(ACCOUNT, "b")).isTrue();
        assertThat(secrets.deleteSecret(ACCOUNT, "b")).isFalse();
        assertThat(secrets.listSecrets(ACCOUNT, null, 10)).extracting(StoredSecret::name).containsExactly("a", "c");
        assertThat(secrets.listSecrets(OTHER_ACCOUNT, null, 10)).extracting(StoredSecret::name).containsExactly("x");
    }
}
