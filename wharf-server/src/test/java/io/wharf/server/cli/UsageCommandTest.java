package io.wharf.server.cli;

import static io.wharf.server.oci.Fixtures.pushBlob;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.oci.Fixtures;
import io.wharf.server.oci.TestRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf usage} on a real data directory, beside the real server that serves it. */
class UsageCommandTest {
    private static final byte[] SHARED = Fixtures.randomBytes(1_500_000);
    private static final byte[] OWN = Fixtures.randomBytes(2048);

    private TestRegistry r;
    private StringWriter out;
    private StringWriter err;
    private byte[] appManifest;

    @BeforeEach
    void start() throws Exception {
        r = new TestRegistry();
        appManifest = Fixtures.pushImage(r, "team/app", "v1"); // a config and a layer of its own
        pushBlob(r, "team/app", SHARED);
        pushBlob(r, "team/app", OWN);
        pushBlob(r, "team/other", SHARED);
    }

    @AfterEach
    void stop() throws Exception {
        r.close();
    }

    private int usage(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "usage";
        all[1] = "--data";
        all[2] = r.dataDir.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return WharfCommand.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), all);
    }

    @Test
    void everyRepositoryAndTheTotalInExactAndHumanUnits() {
        assertThat(usage()).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).contains("REPOSITORY").contains("EXCLUSIVE BYTES");
        assertThat(text.lines().filter(l -> l.startsWith("team/other")).findFirst().orElseThrow())
                .contains("1,500,000 (1.4 MiB)").endsWith("0 (0 B)"); // its only blob is shared
        assertThat(text.lines().filter(l -> l.startsWith("team/app")).findFirst().orElseThrow())
                .contains(String.format("%,d (", appManifest.length));
        assertThat(text).contains("registry:  2 repositories (every account), 1 images")
                .containsPattern("blobs: +4, 1,50[0-9],[0-9]{3} \\(1\\.4 MiB\\)")
                .contains("unlinked:  0, 0 (0 B)");
    }

    @Test
    void oneRepositoryAsJson() throws Exception {
        assertThat(usage("team/app", "--json")).as(err.toString()).isZero();
        JsonNode app = new ObjectMapper().readTree(out.toString());
        assertThat(app.get("name").asText()).isEqualTo("team/app");
        assertThat(app.get("images").asLong()).isEqualTo(1);
        assertThat(app.get("tags").asLong()).isEqualTo(1);
        assertThat(app.get("manifestBytes").asLong()).isEqualTo(appManifest.length);
        assertThat(app.get("blobs").asLong()).isEqualTo(4);
        assertThat(app.get("blobBytes").asLong() - app.get("exclusiveBytes").asLong()).as("only the shared blob")
                .isEqualTo(SHARED.length);
    }

    @Test
    void theTotalAsJsonListsEveryRepository() throws Exception {
        assertThat(usage("--json")).as(err.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.get("registry").get("blobs").asLong()).isEqualTo(4);
        assertThat(root.get("repositories").findValuesAsText("name")).containsExactly("team/app", "team/other");
    }

    @Test
    void unknownRepositoryBadNameAndMissingDataDirectory(@TempDir Path empty) {
        assertThat(usage("team/missing")).isEqualTo(1);
        assertThat(err.toString()).contains("wharf usage: no repository named team/missing");
        assertThat(usage("Not/A_Name!")).isEqualTo(2);
        assertThat(err.toString()).contains("invalid repository name");
        out = new StringWriter();
        err = new StringWriter();
        assertThat(WharfCommand.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true),
                "usage", "--data", empty.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no Wharf data directory");
    }

    @Test
    void recountFindsTheCountersMatchingAndPullsAndTheAccountAreShown() throws Exception {
        assertThat(usage("--recount")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("usage counters match the tables");
        assertThat(usage("--repair")).isEqualTo(2);
        assertThat(err.toString()).contains("--repair goes with --recount");
        assertThat(usage("--days", "0")).isEqualTo(2);

        assertThat(usage()).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("account [0-9]{12}: 2 repositories, 1 images")
                .contains("pulls (last 30 days, UTC): none");
        assertThat(usage("--json", "--days", "7")).as(err.toString()).isZero();
        JsonNode account = new ObjectMapper().readTree(out.toString()).get("account");
        assertThat(account.get("repositories").asLong()).isEqualTo(2);
        assertThat(account.get("pulls").isArray()).isTrue();
    }
}
