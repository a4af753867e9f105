package io.wharf.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditParametersTest {

    @Test
    void secretsAreHiddenAtAnyDepthAndLongStringsCut() {
        Map<String, Object> in = Map.of("Name", "hub", "SecretString", "tok-1",
                "authorizationData", List.of(Map.of("authorizationToken", "QVdTOnh4")),
                "nested", Map.of("list", List.of(Map.of("Password", "p", "ok", "x".repeat(100)))));
        Map<String, Object> out = AuditParameters.clean(in, 64);
        assertThat(out).containsEntry("Name", "hub").containsEntry("SecretString", AuditParameters.HIDDEN)
                .containsEntry("authorizationData", AuditParameters.HIDDEN);
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = (Map<String, Object>) ((List<?>) ((Map<?, ?>) out.get("nested")).get("list")).getFirst();
        assertThat(inner).containsEntry("Password", AuditParameters.HIDDEN);
        assertThat((String) inner.get("ok")).startsWith("x".repeat(64)).endsWith("...(100 chars)");
        assertThat(out.toString()).doesNotContain("tok-1").doesNotContain("QVdTOnh4");
        assertThat(AuditParameters.clean(null, 64)).isNull();
    }

    @Test
    void aLazyBodyIsParsedOnlyWhenRead() {
        Map<String, Object> lazy = AuditParameters.lazy("{\"repositoryName\":\"a\",\"maxResults\":5}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(AuditParameters.clean(lazy, 64)).containsEntry("repositoryName", "a").containsEntry("maxResults", 5);
        assertThat(AuditParameters.lazy("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(AuditParameters.lazy(new byte[0])).isEmpty();
    }

    @Test
    void theAccessKeyIsReadFromASigV4HeaderOnly() {
        assertThat(AuditObserver.accessKeyId("AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE12/20261203/us-east-1/ecr/"
                + "aws4_request, SignedHeaders=host, Signature=abc")).isEqualTo("AKIAEXAMPLEEXAMPLE12");
        assertThat(AuditObserver.accessKeyId("Basic QVdTOnRva2Vu")).isNull();
        assertThat(AuditObserver.accessKeyId(null)).isNull();
        assertThat(AuditObserver.accessKeyId("AWS4-HMAC-SHA256 Credential=evil\"/x")).isNull();
    }
}
