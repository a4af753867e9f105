package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.spi.WebhookIndex;
import io.wharf.core.spi.WebhookIndex.Attempt;
import io.wharf.core.spi.WebhookIndex.State;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf webhooks create/list/show/replay/delete} on a data directory's database. */
class WebhooksCommandTest {
    @TempDir
    Path data;
    private String out;
    private String err;

    @BeforeEach
    void createDataDirectory() {
        SqliteMetadataStore.open(data).close();
    }

    private int webhooks(String stdin, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "webhooks";
        all[1] = "--data";
        all[2] = data.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        int status = WharfCommand.execute(Map.of(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(o, true), new PrintWriter(e, true), all);
        out = o.toString();
        err = e.toString();
        return status;
    }

    @Test
    void createListShowReplayDelete() throws Exception {
        assertThat(webhooks("", "create", "https://hooks.test/deploy", "--repository", "team/*", "--event-type", "ImagePushed"))
                .as(err).isZero();
        String[] created = out.strip().split("\t");
        String id = created[0];
        assertThat(created[1]).startsWith("whsec_");
        assertThat(webhooks("given-secret-0123456789\n", "create", "http://other.test/", "--secret-stdin", "--disabled"))
                .as(err).isZero();
        assertThat(out.strip()).endsWith("\tgiven-secret-0123456789");

        assertThat(webhooks("", "list")).isZero();
        assertThat(out).contains(id).contains("https://hooks.test/deploy").contains("false").doesNotContain("whsec_");

        try (var store = SqliteMetadataStore.open(data)) { // a delivery the sender gave up on
            WebhookIndex index = store.webhooks();
            index.enqueue(List.of(new WebhookIndex.NewDelivery(id, "e-1", "ECR Image Action", "team/app", "{}")), Instant.now());
            long d = index.deliveries(id, null, 1).getFirst().id();
            index.claim(d, "node", Instant.now(), Instant.now().plusSeconds(20));
            index.finishAttempt(d, "node", State.DEAD, new Attempt(Instant.now(), 502, "HTTP 502"), null);
        }
        assertThat(webhooks("", "show", id, "--state", "DEAD")).as(err).isZero();
        JsonNode shown = new ObjectMapper().readTree(out);
        assertThat(shown.path("repository").asText()).isEqualTo("team/*");
        assertThat(shown.path("deliveryCounts").path("DEAD").asInt()).isEqualTo(1);
        assertThat(shown.path("deliveries").get(0).path("lastAttempt").path("status").asInt()).isEqualTo(502);
        assertThat(shown.has("secret")).isFalse();

        assertThat(webhooks("", "replay", id)).isZero();
        assertThat(out.strip()).isEqualTo("1");
        try (var store = SqliteMetadataStore.open(data)) {
            assertThat(store.webhooks().counts(id)).isEqualTo(Map.of(State.PENDING, 1L));
        }

        assertThat(webhooks("", "delete", id)).isZero();
        assertThat(webhooks("", "show", id)).isEqualTo(1);
        assertThat(err).contains("no webhook " + id);
    }

    @Test
    void badInputIsAUsageError() {
        assertThat(webhooks("", "create", "ftp://x.test/")).isEqualTo(2);
        assertThat(err).contains("url must be");
        assertThat(webhooks("", "create", "http://x.test/", "--event-type", "Nope")).isEqualTo(2);
        assertThat(err).contains("unknown event type 'Nope'");
        assertThat(webhooks("", "replay", "wh-none")).isEqualTo(1);
    }
}
