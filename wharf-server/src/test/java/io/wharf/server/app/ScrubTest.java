package io.wharf.server.app;

import static io.wharf.server.oci.Fixtures.digest;
import static io.wharf.server.oci.Fixtures.pushBlob;
import static io.wharf.server.oci.Fixtures.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.jobs.ScrubJob;
import io.wharf.core.service.BlobScrub;
import io.wharf.core.service.Damage;
import io.wharf.core.spi.JobRecord;
import io.wharf.server.jobs.JobScheduler;
import io.wharf.server.oci.Damages;
import io.wharf.server.oci.TestRegistry;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The background scrub over a real blob tree and real SQLite: finds damage, sets it aside, keeps its rate. */
class ScrubTest {
    private TestRegistry r;

    @BeforeEach
    void start() throws Exception {
        r = new TestRegistry();
    }

    @AfterEach
    void stop() throws Exception {
        r.close();
    }

    private BlobScrub scrub(long rate) {
        return new BlobScrub(r.registry.metadata(), r.registry.integrity(), rate, true);
    }

    @Test
    void aPassFindsFlippedAndMissingBlobsAndSetsThemAsideForTheNextPush() throws Exception {
        byte[] intact = randomBytes(3000);
        byte[] flipped = randomBytes(3000);
        byte[] missing = randomBytes(3000);
        for (byte[] b : new byte[][] {intact, flipped, missing}) {
            pushBlob(r, "scrub/a", b);
        }
        Damages.flipByte(r.blobFile(digest(flipped)), 7);
        Files.delete(r.blobFile(digest(missing)));
        assertThat(r.head("/v2/scrub/a/blobs/" + digest(flipped)).statusCode()).as("same size: not seen on HEAD").isEqualTo(200);

        AtomicLong progressed = new AtomicLong();
        BlobScrub.Report report = scrub(0).runOnce((blobs, bytes) -> progressed.set(blobs));

        assertThat(report.blobs()).isEqualTo(3);
        assertThat(progressed).hasValue(3);
        assertThat(report.damaged()).extracting(Damage::digest).extracting(Object::toString)
                .containsExactlyInAnyOrder(digest(flipped), digest(missing));
        assertThat(r.head("/v2/scrub/a/blobs/" + digest(flipped)).statusCode()).isEqualTo(404);
        assertThat(r.head("/v2/scrub/a/blobs/" + digest(intact)).statusCode()).isEqualTo(200);
        assertThat(Damages.quarantined(r.dataDir)).isEqualTo(1);

        pushBlob(r, "scrub/a", flipped);
        assertThat(r.get("/v2/scrub/a/blobs/" + digest(flipped)).body()).isEqualTo(flipped);
        assertThat(scrub(0).runOnce((b, n) -> { }).damaged()).extracting(d -> d.digest().toString())
                .containsExactly(digest(missing));
    }

    @Test
    void aPassKeepsToItsRate() throws Exception {
        pushBlob(r, "scrub/rate", randomBytes(3 << 20));
        long begin = System.nanoTime();
        BlobScrub.Report report = scrub(4L << 20).runOnce((b, n) -> { });
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        assertThat(report.damaged()).isEmpty();
        assertThat(took).as("3 MiB at 4 MiB/s").isGreaterThanOrEqualTo(Duration.ofMillis(700));
    }

    /** The scrub as a job with a lease: periodic passes set damage aside and record their counts. */
    @Test
    void theScrubJobRunsPeriodicallyUnderItsLease() throws Exception {
        byte[] blob = randomBytes(1000);
        pushBlob(r, "scrub/schedule", blob);
        Damages.flipByte(r.blobFile(digest(blob)), 0);

        JobScheduler scheduler = new JobScheduler(r.registry.metadata(), Clock.systemUTC(), new JobScheduler.Settings(
                Duration.ofSeconds(30), Duration.ofMillis(20), Duration.ofMinutes(1)), "test-node");
        scheduler.register(new ScrubJob(scrub(0), d -> { }), Duration.ofMillis(50), Duration.ZERO);
        scheduler.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(Files.notExists(r.blobFile(digest(blob))) && recorded()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        scheduler.stop(Duration.ofSeconds(5));
        assertThat(r.blobFile(digest(blob))).as("set aside by a scheduled pass").doesNotExist();
        assertThat(r.head("/v2/scrub/schedule/blobs/" + digest(blob)).statusCode()).isEqualTo(404);
        JobRecord row = r.registry.metadata().findJob(ScrubJob.NAME).orElseThrow();
        assertThat(row.lastOutcome()).isEqualTo(JobRecord.Outcome.OK);
        assertThat(row.owner()).as("released on stop").isNull();
    }

    private boolean recorded() {
        return r.registry.metadata().findJob(ScrubJob.NAME).filter(j -> j.lastOutcome() == JobRecord.Outcome.OK
                && j.counters().getOrDefault("damaged", 0L) >= 1).isPresent();
    }
}
