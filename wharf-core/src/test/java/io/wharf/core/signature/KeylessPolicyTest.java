package io.wharf.core.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.error.ParameterInvalidException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy's {@code trustedIdentities}: parsed and checked when put, written back as read, matched as cosign does. */
class KeylessPolicyTest {
    private static final String GITHUB = "https://token.actions.githubusercontent.com";
    private static final String RELEASE = "https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main";

    /** The JDK's key parsing: this test is about the policy, not the server's sigstore-java. */
    private static final SignatureVerifier KEYS = new SignatureVerifier() {
        @Override
        public PublicKey publicKey(String pem) {
            try {
                byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
                return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
            } catch (Exception e) {
                throw new IllegalArgumentException("not a key");
            }
        }

        @Override
        public boolean verify(PublicKey key, byte[] payload, byte[] signature) {
            return false;
        }
    };

    @Test
    void identitiesAreParsedAndWrittenBackAsRead() {
        String json = "{\"trustedKeys\":[],\"trustedIdentities\":[{\"name\":\"release\",\"issuer\":\"" + GITHUB
                + "\",\"subject\":\"" + RELEASE + "\"},{\"issuerRegExp\":\"^https://accounts\\\\.google\\\\.com$\","
                + "\"subjectRegExp\":\"@example\\\\.com$\"}]}";
        SignaturePolicy policy = SignaturePolicy.parse(json, KEYS);
        assertThat(policy.trustedKeys()).isEmpty();
        assertThat(policy.trustedIdentities()).extracting(TrustedIdentity::name).containsExactly("release", "identity-2");
        assertThat(SignaturePolicy.parse(policy.toJson(), KEYS).toJson()).isEqualTo(policy.toJson());
        assertThat(policy.toJson()).contains("\"subjectRegExp\":\"@example\\\\.com$\"").doesNotContain("null");
    }

    @Test
    void identitiesMatchAsCosignMatchesThem() {
        TrustedIdentity exact = SignaturePolicy.parse(policy("\"issuer\":\"" + GITHUB + "\",\"subject\":\"" + RELEASE
                + "\""), KEYS).trustedIdentities().getFirst();
        assertThat(exact.matches(GITHUB, List.of(RELEASE))).isTrue();
        assertThat(exact.matches(GITHUB, List.of(RELEASE + "x"))).as("exact is whole").isFalse();
        assertThat(exact.matches(GITHUB + "/", List.of(RELEASE))).isFalse();
        assertThat(exact.matches(null, List.of(RELEASE))).isFalse();
        TrustedIdentity regExp = SignaturePolicy.parse(policy("\"issuer\":\"" + GITHUB
                + "\",\"subjectRegExp\":\"^https://github\\\\.com/org/\""), KEYS).trustedIdentities().getFirst();
        assertThat(regExp.matches(GITHUB, List.of("dns.example", RELEASE))).as("any SAN").isTrue();
        assertThat(regExp.matches(GITHUB, List.of("https://github.com/other/"))).isFalse();
    }

    @Test
    void malformedIdentitiesAreRefusedNamingTheMember() {
        assertInvalid(policy("\"issuer\":\"a\""), "exactly one of issuer / issuerRegExp and one of subject");
        assertInvalid(policy("\"issuer\":\"a\",\"issuerRegExp\":\"a\",\"subject\":\"b\""), "exactly one");
        assertInvalid(policy("\"issuer\":\"a\",\"subjectRegExp\":\"[\""), "trustedIdentities[0].subjectRegExp is not a regular");
        assertInvalid(policy("\"issuer\":\"" + "a".repeat(1025) + "\",\"subject\":\"b\""), "issuer must be a string of 1-1024");
        assertInvalid(policy("\"issuer\":\"\",\"subject\":\"b\""), "issuer must be a string");
        assertInvalid(policy("\"issuer\":7,\"subject\":\"b\""), "issuer must be a string");
        assertInvalid("{\"trustedIdentities\":[{\"name\":\"bad name\",\"issuer\":\"a\",\"subject\":\"b\"}]}",
                "trustedIdentities[0].name");
        assertInvalid("{\"trustedIdentities\":{}}", "trustedIdentities must be an array");
        assertInvalid("{}", "must list 1 to 20 entries in all");
    }

    @Test
    void namesAreUniqueAndTheLimitCountsKeysAndIdentitiesTogether() throws Exception {
        String key = "{\"name\":\"ci\",\"publicKey\":\"" + pem() + "\"}";
        assertInvalid("{\"trustedKeys\":[" + key + "],\"trustedIdentities\":[{\"name\":\"ci\",\"issuer\":\"a\","
                + "\"subject\":\"b\"}]}", "two trusted entries are named ci");
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 19; i++) {
            ids.append(i == 0 ? "" : ",").append("{\"issuer\":\"a\",\"subject\":\"s").append(i).append("\"}");
        }
        String nineteen = "{\"trustedKeys\":[" + key + "],\"trustedIdentities\":[" + ids + "]}";
        assertThat(SignaturePolicy.parse(nineteen, KEYS).trustedIdentities()).hasSize(19);
        assertInvalid(nineteen.replace("]}", ",{\"issuer\":\"a\",\"subject\":\"x\"}]}"), "1 to 20 entries in all");
    }

    private static String policy(String fields) {
        return "{\"trustedIdentities\":[{" + fields + "}]}";
    }

    private static void assertInvalid(String json, String message) {
        assertThatThrownBy(() -> SignaturePolicy.parse(json, KEYS)).isInstanceOf(ParameterInvalidException.class)
                .hasMessageContaining(message);
    }

    private static String pem() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return "-----BEGIN PUBLIC KEY-----\\n" + Base64.getEncoder().encodeToString(g.generateKeyPair().getPublic()
                .getEncoded()) + "\\n-----END PUBLIC KEY-----\\n";
    }
}
