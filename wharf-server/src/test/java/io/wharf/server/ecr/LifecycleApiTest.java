package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrTest.assertEcrError;
import static io.wharf.server.oci.Fixtures.OCI_CONFIG;
import static io.wharf.server.oci.Fixtures.OCI_INDEX;
import static io.wharf.server.oci.Fixtures.OCI_LAYER;
import static io.wharf.server.oci.Fixtures.OCI_MANIFEST;
import static io.wharf.server.oci.Fixtures.descriptor;
import static io.wharf.server.oci.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.service.RegistryLimits;
import io.wharf.core.testing.ManualClock;
import io.wharf.server.oci.Fixtures;
import io.wharf.server.oci.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.GetLifecyclePolicyPreviewResponse;
import software.amazon.awssdk.services.ecr.model.ImageActionType;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewResult;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewStatus;
import software.amazon.awssdk.services.ecr.model.TagStatus;

/**
 * Lifecycle policies that run, through the AWS SDK v2: previews (paged, filtered), runs that expire exactly what
 * the preview showed, every selection kind, and the protections. The domain's clock is moved by hand.
 */
class LifecycleApiTest {
    private static final String REPO = "life/app";

    private ManualClock clock;
    private TestRegistry r;
    private EcrClient ecr;

    @BeforeEach
    void start() throws Exception {
        clock = new ManualClock();
        r = new TestRegistry(RegistryLimits.defaults(), clock);
        ecr = EcrTest.client(r);
        ecr.createRepository(b -> b.repositoryName(REPO));
    }

    @AfterEach
    void stop() throws Exception {
        ecr.close();
        r.close();
    }

    @Test
    void theRunExpiresExactlyWhatThePreviewAtTheSameInstantShowed() throws Exception {
        List<String> tagged = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            tagged.add(push("v" + i));
            clock.advance(Duration.ofHours(1));
        }
        List<String> untagged = List.of(push(null), push(null), push(null));
        clock.advance(Duration.ofDays(3));
        String newest = push(null); // untagged but too young
        putPolicy(rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"v\"],\"countType\":\"imageCountMoreThan\","
                + "\"countNumber\":2") + "," + rule(2, "\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\","
                + "\"countUnit\":\"days\",\"countNumber\":1"));

        var started = ecr.startLifecyclePolicyPreview(b -> b.repositoryName(REPO));
        assertThat(started.status()).isEqualTo(LifecyclePolicyPreviewStatus.COMPLETE);
        List<LifecyclePolicyPreviewResult> previewed = allPages(null);
        Set<String> expected = Set.of(tagged.get(0), tagged.get(1), tagged.get(2), untagged.get(0), untagged.get(1),
                untagged.get(2));
        assertThat(digests(previewed)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(previewed).allSatisfy(p -> assertThat(p.action().type()).isEqualTo(ImageActionType.EXPIRE));
        assertThat(previewed.stream().filter(p -> p.imageTags().contains("v1")).findFirst().orElseThrow()
                .appliedRulePriority()).isEqualTo(1);
        assertThat(digests(allPages(TagStatus.UNTAGGED))).containsExactlyInAnyOrderElementsOf(untagged);
        var first = ecr.getLifecyclePolicyPreview(b -> b.repositoryName(REPO).maxResults(2));
        assertThat(first.summary().expiringImageTotalCount()).isEqualTo(6);
        assertThat(first.previewResults()).hasSize(2);
        assertThat(first.nextToken()).isNotNull();

        var report = r.registry.lifecycleRunner().runOnce(); // same instant as the preview
        assertThat(report.expired()).isEqualTo(6);
        Set<String> left = describe().stream().map(ImageDetail::imageDigest).collect(Collectors.toSet());
        assertThat(left).containsExactlyInAnyOrder(tagged.get(3), tagged.get(4), newest);
        // one expiry event per image, written with its delete, naming the rule that selected it
        List<io.wharf.core.event.RegistryEvent.ImageExpired> events = r.registry.metadata().eventsAfter(0, 10_000).stream()
                .map(io.wharf.core.event.StoredEvent::event)
                .filter(io.wharf.core.event.RegistryEvent.ImageExpired.class::isInstance)
                .map(io.wharf.core.event.RegistryEvent.ImageExpired.class::cast).toList();
        assertThat(events).extracting(e -> e.digest().toString()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(events).filteredOn(e -> e.tags().stream().anyMatch(t -> t.value().equals("v1")))
                .singleElement().extracting(io.wharf.core.event.RegistryEvent.ImageExpired::rulePriority).isEqualTo(1);
        assertThat(r.registry.metadata().eventsAfter(0, 10_000)).noneMatch(
                e -> e.event() instanceof io.wharf.core.event.RegistryEvent.ImageDeleted);
        assertThat(ecr.getLifecyclePolicy(b -> b.repositoryName(REPO)).lastEvaluatedAt()).isEqualTo(clock.instant());
        assertThat(ecr.deleteLifecyclePolicy(b -> b.repositoryName(REPO)).lastEvaluatedAt()).isEqualTo(clock.instant());
    }

    @Test
    void lastEvaluatedAtBelongsToThePolicyTheRunEvaluated() {
        putPolicy(rule(1, "\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":5"));
        assertThat(ecr.getLifecyclePolicy(b -> b.repositoryName(REPO)).lastEvaluatedAt()).isNull();
        r.registry.lifecycleRunner().runOnce();
        assertThat(ecr.getLifecyclePolicy(b -> b.repositoryName(REPO)).lastEvaluatedAt()).isEqualTo(clock.instant());
        putPolicy(rule(1, "\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":6"));
        assertThat(ecr.getLifecyclePolicy(b -> b.repositoryName(REPO)).lastEvaluatedAt()).as("not evaluated yet").isNull();
    }

    @Test
    void previewErrorsAreEcrs() {
        assertEcrError("LifecyclePolicyPreviewNotFoundException", () -> ecr.getLifecyclePolicyPreview(b -> b.repositoryName(REPO)));
        assertEcrError("LifecyclePolicyNotFoundException", () -> ecr.startLifecyclePolicyPreview(b -> b.repositoryName(REPO)));
        assertEcrError("RepositoryNotFoundException", () -> ecr.startLifecyclePolicyPreview(b -> b.repositoryName("life/none")));
        String bad = policy(rule(1, "\"tagStatus\":\"tagged\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1"));
        assertEcrError("InvalidParameterException", () -> ecr.startLifecyclePolicyPreview(b -> b.repositoryName(REPO)
                .lifecyclePolicyText(bad)));
        String draft = policy(rule(1, "\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1"));
        var started = ecr.startLifecyclePolicyPreview(b -> b.repositoryName(REPO).lifecyclePolicyText(draft));
        assertThat(started.lifecyclePolicyText()).isEqualTo(draft);
        assertEcrError("LifecyclePolicyNotFoundException", () -> ecr.getLifecyclePolicy(b -> b.repositoryName(REPO)));
        var got = ecr.getLifecyclePolicyPreview(b -> b.repositoryName(REPO));
        assertThat(got.lifecyclePolicyText()).isEqualTo(draft);
        assertThat(got.status()).isEqualTo(LifecyclePolicyPreviewStatus.COMPLETE);
        assertThat(got.previewResults()).isEmpty();
        assertThat(got.nextToken()).isNull();
        assertEcrError("InvalidParameterException", () -> ecr.getLifecyclePolicyPreview(b -> b.repositoryName(REPO)
                .nextToken("garbage")));
        assertEcrError("InvalidParameterException", () -> ecr.getLifecyclePolicyPreview(b -> b.repositoryName(REPO)
                .maxResults(101)));
    }

    @Test
    void tagPatternsAndPrefixesSelectAndTheAnyRuleActsOnlyOnWhatItOwns() throws Exception {
        String prod1 = push("prod-1");
        clock.advance(Duration.ofHours(1));
        String prod2 = push("prod-2");
        clock.advance(Duration.ofHours(1));
        String prod3 = push("prod-3");
        clock.advance(Duration.ofHours(1));
        String dev = push("dev-1");
        clock.advance(Duration.ofHours(1));
        String release = push("release-1");
        clock.advance(Duration.ofDays(10));
        putPolicy(rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"prod-*\"],\"countType\":\"imageCountMoreThan\","
                + "\"countNumber\":1") + ","
                + rule(2, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"rel\"],\"countType\":\"sinceImagePushed\","
                + "\"countUnit\":\"days\",\"countNumber\":30") + ","
                + rule(3, "\"tagStatus\":\"any\",\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":5"));
        ecr.startLifecyclePolicyPreview(b -> b.repositoryName(REPO));
        // prod-1 and prod-2 are over the count; release is shielded by rule 2 (too young); dev goes by rule 3
        assertThat(digests(allPages(null))).containsExactlyInAnyOrder(prod1, prod2, dev);
        r.registry.lifecycleRunner().runOnce();
        assertThat(describe()).extracting(ImageDetail::imageDigest).containsExactlyInAnyOrder(prod3, release);
    }

    @Test
    void sinceImagePulledGoesByTheRecordedPullAndTheRunLeavesTransitionsAlone() throws Exception {
        String pulled = push("pulled");
        String idle = push("idle");
        String never = push("never");
        clock.advance(Duration.ofDays(20));
        assertThat(r.get("/v2/" + REPO + "/manifests/idle").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofDays(15));
        assertThat(r.get("/v2/" + REPO + "/manifests/" + pulled).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofDays(1));
        putPolicy(rule(1, "\"tagStatus\":\"any\",\"countType\":\"sinceImagePulled\",\"countUnit\":\"days\","
                + "\"countNumber\":10", "{\"type\":\"transition\",\"targetStorageClass\":\"archive\"}"));
        ecr.startLifecyclePolicyPreview(b -> b.repositoryName(REPO));
        var preview = ecr.getLifecyclePolicyPreview(b -> b.repositoryName(REPO));
        // idle: pulled 16 days ago; never: pushed 36 days ago, never pulled; pulled: 1 day ago
        assertThat(digests(preview.previewResults())).containsExactlyInAnyOrder(idle, never);
        assertThat(preview.previewResults()).allSatisfy(p -> {
            assertThat(p.action().type()).isEqualTo(ImageActionType.TRANSITION);
            assertThat(p.action().targetStorageClassAsString()).isEqualTo("ARCHIVE");
        });
        assertThat(preview.summary().expiringImageTotalCount()).isZero();
        assertThat(preview.summary().transitioningImageTotalCounts()).singleElement()
                .satisfies(c -> assertThat(c.imageTotalCount()).isEqualTo(2));
        r.registry.lifecycleRunner().runOnce();
        assertThat(describe()).as("no archive storage class: nothing is deleted for a transition").hasSize(3);
    }

    @Test
    void childrenOfAKeptIndexAndReferrersOfAKeptImageStayAndReferrersOfAnExpiredOneFollowIt() throws Exception {
        byte[] child = manifest(null);
        String childDigest = putManifest(child, digest(child), OCI_MANIFEST);
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + descriptor(OCI_MANIFEST, child) + "]}";
        String indexDigest = putManifest(index.getBytes(StandardCharsets.UTF_8), "multi", OCI_INDEX);
        byte[] kept = manifest(null);
        String keptDigest = putManifest(kept, "kept", OCI_MANIFEST);
        String signature = putManifest(manifest(kept), null, OCI_MANIFEST);
        byte[] orphan = manifest(null);
        String orphanDigest = putManifest(orphan, null, OCI_MANIFEST);
        String orphanSbom = putManifest(manifest(orphan), null, OCI_MANIFEST);
        clock.advance(Duration.ofDays(2));
        putPolicy(rule(1, "\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\","
                + "\"countNumber\":1"));
        ecr.startLifecyclePolicyPreview(b -> b.repositoryName(REPO));
        assertThat(digests(allPages(null))).containsExactlyInAnyOrder(orphanDigest, orphanSbom);
        r.registry.lifecycleRunner().runOnce();
        assertThat(describe()).extracting(ImageDetail::imageDigest)
                .containsExactlyInAnyOrder(childDigest, indexDigest, keptDigest, signature);
    }

    @Test
    void aRepositoryTagKeepsImagesPulledWithinItsDays() throws Exception {
        String recent = push(null);
        String old = push(null);
        String never = push(null);
        clock.advance(Duration.ofDays(5));
        assertThat(r.get("/v2/" + REPO + "/manifests/" + old).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofDays(8));
        assertThat(r.get("/v2/" + REPO + "/manifests/" + recent).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofDays(2));
        putPolicy(rule(1, "\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\","
                + "\"countNumber\":1"));
        String arn = ecr.describeRepositories(b -> b.repositoryNames(REPO)).repositories().getFirst().repositoryArn();
        ecr.tagResource(b -> b.resourceArn(arn).tags(t -> t.key("wharf:keep-pulled-within").value("7d")));
        ecr.startLifecyclePolicyPreview(b -> b.repositoryName(REPO));
        // recent: pulled 2 days ago, kept; old: pulled 10 days ago; never: never pulled
        assertThat(digests(allPages(null))).containsExactlyInAnyOrder(old, never);
        r.registry.lifecycleRunner().runOnce();
        assertThat(describe()).extracting(ImageDetail::imageDigest).containsExactly(recent);

        ecr.tagResource(b -> b.resourceArn(arn).tags(t -> t.key("wharf:keep-pulled-within").value("a week")));
        assertEcrError("InvalidParameterException", () -> ecr.startLifecyclePolicyPreview(b -> b.repositoryName(REPO)));
    }

    @Test
    void aTaggedChildOfAnIndexIsKeptEvenWhenARuleSelectsIt() throws Exception {
        byte[] child = manifest(null);
        String childDigest = putManifest(child, "child", OCI_MANIFEST);
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + descriptor(OCI_MANIFEST, child) + "]}";
        putManifest(index.getBytes(StandardCharsets.UTF_8), "multi", OCI_INDEX);
        clock.advance(Duration.ofDays(2));
        // the child is tagged "child": a tag rule selects it, and the evaluator must still keep it for its index
        putPolicy(rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"child\"],\"countType\":\"sinceImagePushed\","
                + "\"countUnit\":\"days\",\"countNumber\":1"));
        r.registry.lifecycleRunner().runOnce();
        assertThat(describe()).extracting(ImageDetail::imageDigest).contains(childDigest);
    }

    // ---- helpers

    private List<LifecyclePolicyPreviewResult> allPages(TagStatus status) {
        List<LifecyclePolicyPreviewResult> all = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            GetLifecyclePolicyPreviewResponse page = ecr.getLifecyclePolicyPreview(b -> b.repositoryName(REPO).maxResults(2)
                    .nextToken(next).filter(f -> f.tagStatus(status)));
            assertThat(page.previewResults().size()).isLessThanOrEqualTo(2);
            all.addAll(page.previewResults());
            token = page.nextToken();
        } while (token != null);
        return all;
    }

    private static List<String> digests(List<LifecyclePolicyPreviewResult> results) {
        return results.stream().map(LifecyclePolicyPreviewResult::imageDigest).toList();
    }

    private List<ImageDetail> describe() {
        return ecr.describeImagesPaginator(b -> b.repositoryName(REPO)).imageDetails().stream().toList();
    }

    private void putPolicy(String rules) {
        ecr.putLifecyclePolicy(b -> b.repositoryName(REPO).lifecyclePolicyText(policy(rules)));
    }

    private static String policy(String rules) {
        return "{\"rules\":[" + rules + "]}";
    }

    private static String rule(int priority, String selection) {
        return rule(priority, selection, "{\"type\":\"expire\"}");
    }

    private static String rule(int priority, String selection, String action) {
        return "{\"rulePriority\":" + priority + ",\"description\":\"rule " + priority + "\",\"selection\":{" + selection
                + "},\"action\":" + action + "}";
    }

    /** Pushes a fresh image, tagged or (null) by digest only; returns its digest. */
    private String push(String tag) throws Exception {
        byte[] m = manifest(null);
        return putManifest(m, tag == null ? digest(m) : tag, OCI_MANIFEST);
    }

    /** A fresh image manifest, with its blobs pushed; a referrer of {@code subject} when that is not null. */
    private byte[] manifest(byte[] subject) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"" + System.nanoTime() + "\"}").getBytes();
        byte[] layer = Fixtures.randomBytes(64);
        Fixtures.pushBlob(r, REPO, config);
        Fixtures.pushBlob(r, REPO, layer);
        String text = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + descriptor(OCI_CONFIG, config)
                + ",\"layers\":[" + descriptor(OCI_LAYER, layer) + "]"
                + (subject == null ? "" : ",\"subject\":" + descriptor(OCI_MANIFEST, subject)) + "}";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** PUTs the manifest under {@code reference} (null: its digest); returns its digest. */
    private String putManifest(byte[] manifest, String reference, String mediaType) throws Exception {
        String ref = reference == null ? digest(manifest) : reference;
        var res = r.send("PUT", "/v2/" + REPO + "/manifests/" + ref, manifest, "Content-Type", mediaType);
        assertThat(res.statusCode()).as(new String(res.body())).isEqualTo(201);
        return digest(manifest);
    }
}
