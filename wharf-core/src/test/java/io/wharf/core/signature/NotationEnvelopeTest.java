package io.wharf.core.signature;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The form a Notation JWS envelope must have before anything in it is believed. */
class NotationEnvelopeTest {
    private static final String CTY = "\"cty\":\"application/vnd.cncf.notary.payload.v1+json\"";
    private static final String SCHEME = "\"io.cncf.notary.signingScheme\":\"notary.x509\"";
    private static final String TIME = "\"io.cncf.notary.signingTime\":\"2026-12-04T10:00:00Z\"";
    private static final String CRIT = "\"crit\":[\"io.cncf.notary.signingScheme\"]";

    @Test
    void theProtectedHeaderIsCheckedBeforeTheChain() {
        refused("{" + CTY + "," + TIME + "," + CRIT + "}", "signing scheme is missing");
        refused("{" + CTY + ",\"io.cncf.notary.signingScheme\":\"notary.x509.signingAuthority\"," + CRIT + "}",
                "notary.x509.signingAuthority is not verified");
        refused("{" + SCHEME + "," + TIME + "," + CRIT + "}", "payload type (cty)");
        refused("{" + CTY + "," + SCHEME + "," + TIME + "}", "crit header must list");
        refused("{" + CTY + "," + SCHEME + "," + TIME + ",\"io.cncf.notary.expiry\":\"2027-01-01T00:00:00Z\"," + CRIT + "}",
                "crit header must list");
        refused("{" + CTY + "," + SCHEME + "," + TIME + ",\"crit\":[\"io.cncf.notary.signingScheme\",\"alg\"]}",
                "critical header Wharf does not process (alg)");
        refused("{" + CTY + "," + SCHEME + ",\"io.cncf.notary.signingScheme\":\"notary.x509\"," + TIME + "," + CRIT + "}",
                "protected header is not JSON"); // a duplicate member
        refused("{" + CTY + "," + SCHEME + ",\"io.cncf.notary.signingTime\":\"yesterday\"," + CRIT + "}",
                "signingTime is not an RFC 3339 time");
    }

    @Test
    void thePayloadAndTheChainMustBeThere() {
        String header = "{" + CTY + "," + SCHEME + "," + TIME + "," + CRIT + "}";
        assertThatThrownBy(() -> NotationEnvelope.parse(envelope(header, "{}", "[]")))
                .hasMessageContaining("no targetArtifact digest");
        assertThatThrownBy(() -> NotationEnvelope.parse(envelope(header, "{\"targetArtifact\":{\"digest\":\"sha256:00\"}}",
                "[]"))).hasMessageContaining("x5c must hold 1 to 10 certificates");
        assertThatThrownBy(() -> NotationEnvelope.parse(envelope(header, "{\"targetArtifact\":{\"digest\":\"sha256:00\"}}",
                "[\"AAAA\"]"))).hasMessageContaining("does not parse");
        assertThatThrownBy(() -> NotationEnvelope.parse("[]".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("envelope is not a JSON object");
    }

    private static void refused(String header, String reason) {
        assertThatThrownBy(() -> NotationEnvelope.parse(envelope(header, "{\"targetArtifact\":{\"digest\":\"sha256:00\"}}",
                "[\"AAAA\"]"))).isInstanceOf(NotationEnvelope.Unusable.class).hasMessageContaining(reason);
    }

    private static byte[] envelope(String header, String payload, String x5c) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return ("{\"protected\":\"" + url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "\",\"payload\":\""
                + url.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "\",\"header\":{\"x5c\":" + x5c
                + "},\"signature\":\"AA\"}").getBytes(StandardCharsets.UTF_8);
    }
}
