package io.wharf.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemKeyStoreTest {
    @TempDir
    Path dir;

    @Test
    void loadsRsaCertificateAndPkcs8Key() throws Exception {
        TestCerts.Pair rsa = TestCerts.rsa(dir);
        KeyStore store = PemKeyStore.load(rsa.cert(), rsa.key());
        assertThat(store.getKey(PemKeyStore.ALIAS, PemKeyStore.PASSWORD.toCharArray()).getAlgorithm()).isEqualTo("RSA");
        assertThat(((X509Certificate) store.getCertificate(PemKeyStore.ALIAS)).getSubjectX500Principal().getName())
                .isEqualTo("CN=localhost");
    }

    @Test
    void loadsEcCertificateAndKey() throws Exception {
        TestCerts.Pair ec = TestCerts.ec(dir);
        KeyStore store = PemKeyStore.load(ec.cert(), ec.key());
        assertThat(store.getKey(PemKeyStore.ALIAS, PemKeyStore.PASSWORD.toCharArray()).getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void loadsTheWholeChainAndIgnoresTextAroundBlocks() throws Exception {
        TestCerts.Pair leaf = TestCerts.rsa(dir);
        TestCerts.Pair other = TestCerts.ec(dir);
        Path chain = dir.resolve("chain.pem");
        Files.writeString(chain, "subject=CN = localhost\n" + Files.readString(leaf.cert()) + "\n"
                + Files.readString(other.cert()));
        KeyStore store = PemKeyStore.load(chain, leaf.key());
        assertThat(store.getCertificateChain(PemKeyStore.ALIAS)).hasSize(2);
    }

    @Test
    void pkcs1KeyFailsWithTheConversionCommand() throws Exception {
        TestCerts.Pair rsa = TestCerts.rsa(dir);
        Path pkcs1 = dir.resolve("pkcs1.pem");
        TestCerts.openssl("rsa", "-in", rsa.key().toString(), "-out", pkcs1.toString(), "-traditional");
        assertThat(Files.readString(pkcs1)).contains("BEGIN RSA PRIVATE KEY");

        assertThatThrownBy(() -> PemKeyStore.load(rsa.cert(), pkcs1))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PKCS#1")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + pkcs1 + " -out " + pkcs1 + ".pk8");
    }

    @Test
    void encryptedKeyIsRefusedWithAHint() throws Exception {
        TestCerts.Pair rsa = TestCerts.rsa(dir);
        Path encrypted = dir.resolve("enc.pem");
        TestCerts.openssl("pkcs8", "-topk8", "-in", rsa.key().toString(), "-out", encrypted.toString(),
                "-passout", "pass:secret");
        assertThatThrownBy(() -> PemKeyStore.load(rsa.cert(), encrypted))
                .hasMessageContaining("is encrypted")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void keyOfAnotherCertificateIsRefused() throws Exception {
        TestCerts.Pair a = TestCerts.rsa(Files.createDirectory(dir.resolve("a")));
        TestCerts.Pair b = TestCerts.rsa(dir);
        assertThatThrownBy(() -> PemKeyStore.load(b.cert(), a.key()))
                .hasMessageContaining("does not belong to the certificate");
        TestCerts.Pair ec = TestCerts.ec(dir);
        assertThatThrownBy(() -> PemKeyStore.load(b.cert(), ec.key()))
                .hasMessageContaining("does not hold a PKCS#8 RSA private key");
    }

    @Test
    void filesWithoutPemBlocksAreExplained() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here");
        TestCerts.Pair rsa = TestCerts.rsa(dir);
        assertThatThrownBy(() -> PemKeyStore.load(empty, rsa.key()))
                .hasMessageContaining("holds no PEM certificate");
        assertThatThrownBy(() -> PemKeyStore.load(rsa.cert(), empty))
                .hasMessageContaining("holds no PEM private key");
        assertThatThrownBy(() -> PemKeyStore.load(rsa.key(), rsa.key()))
                .hasMessageContaining("holds no PEM certificate");
    }
}
