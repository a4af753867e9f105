package io.wharf.core.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.junit.jupiter.api.Test;

/** The JWS algorithms the Notary Project allows, checked against signatures made independently with the JDK. */
class NotationAlgorithmsTest {
    private static final byte[] INPUT = "eyJhbGciOiJQUzI1NiJ9.eyJ0YXJnZXRBcnRpZmFjdCI6e319".getBytes(StandardCharsets.US_ASCII);

    @Test
    void rsaPssKeysSignWithTheAlgorithmTheirSizeDecides() throws Exception {
        KeyPair rsa = rsa(2048);
        assertThat(NotationAlgorithms.algFor(rsa.getPublic())).isEqualTo("PS256");
        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        pss.initSign(rsa.getPrivate());
        pss.update(INPUT);
        byte[] signature = pss.sign();
        assertThat(NotationAlgorithms.verify("PS256", rsa.getPublic(), INPUT, signature)).isTrue();
        signature[0] ^= 1;
        assertThat(NotationAlgorithms.verify("PS256", rsa.getPublic(), INPUT, signature)).isFalse();
        assertThat(NotationAlgorithms.algFor(rsa(1024).getPublic())).as("too short: no algorithm").isNull();
    }

    @Test
    void ecdsaSignaturesAreRawRAndS() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair ec = g.generateKeyPair();
        assertThat(NotationAlgorithms.algFor(ec.getPublic())).isEqualTo("ES384");
        Signature p1363 = Signature.getInstance("SHA384withECDSAinP1363Format");
        p1363.initSign(ec.getPrivate());
        p1363.update(INPUT);
        byte[] raw = p1363.sign();
        assertThat(raw).hasSize(96);
        assertThat(NotationAlgorithms.verify("ES384", ec.getPublic(), INPUT, raw)).isTrue();
        Signature der = Signature.getInstance("SHA384withECDSA");
        der.initSign(ec.getPrivate());
        der.update(INPUT);
        assertThat(NotationAlgorithms.verify("ES384", ec.getPublic(), INPUT, der.sign())).as("DER is not JWS").isFalse();
    }

    private static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }
}
