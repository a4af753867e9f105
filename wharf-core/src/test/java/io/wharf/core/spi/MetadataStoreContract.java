package io.wharf.core.spi;

import static io.wharf.core.spi.TestManifests.blobDigest;
import static io.wharf.core.spi.TestManifests.image;
import static io.wharf.core.spi.TestManifests.index;
import static io.wharf.core.spi.TestManifests.referrer;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The contract of every {@link MetadataStore} sub-interface. Backends extend this with a factory.
 * Instants are stored with millisecond precision, so the fixtures use whole milliseconds.
 * The ECR-side indexes are in {@link EcrMetadataContract}, which this extends.
 */
public abstract class MetadataStoreContract extends EcrMetadataContract {

    // ---- RepositoryIndex

    @Test
    void createRepositoryReturnsWhatFindReturns() {
        Repository created = store.createRepository(ACCOUNT, name("team/service"), at(5));
        assertThat(created.account()).isEqualTo(ACCOUNT);
        assertThat(created.name()).isEqualTo(name("team/service"));
        assertThat(created.createdAt()).isEqualTo(at(5));
        assertThat(created.id()).isNotIn(repo, otherRepo);
        assertThat(store.findRepository(ACCOUNT, name("team/service"))).contains(created);
        assertThat(store.findRepository(ACCOUNT, name("team/unknown"))).isEmpty();
    }

    @Test
    void createRepositoryIsIdempotent() {
        Repository first = store.createRepository(ACCOUNT, name("idem"), at(1));
        Repository again = store.createRepository(ACCOUNT, name("idem"), at(2));
        assertThat(again).isEqualTo(first);
    }

    @Test
    void concurrentCreateRepositoryYieldsOneRepository() throws Exception {
        List<Repository> results = concurrently(16, i -> () -> store.createRepository(ACCOUNT, name("race"), at(i)));
        assertThat(results).allSatisfy(r -> assertThat(r).isEqualTo(results.getFirst()));
        assertThat(store.listRepositories(ACCOUNT, null, 100)).containsOnlyOnce(name("race"));
    }

    @Test
    void repositoriesAreIsolatedByAccount() {
        Repository mine = store.createRepository(ACCOUNT, name("shared-name"), T0);
        Repository theirs = store.createRepository(OTHER_ACCOUNT, name("shared-name"), T0);
        assertThat(theirs.id()).isNotEqualTo(mine.id());
        assertThat(theirs.account()).isEqualTo(OTHER_ACCOUNT);
        assertThat(store.findRepository(OTHER_ACCOUNT, name("library/app"))).isEmpty();
        assertThat(store.listRepositories(OTHER_ACCOUNT, null, 100)).containsExactly(name("shared-name"));
    }

    @Test
    void listRepositoriesPagesInLexicalOrder() {
        // '-' < '.' < '/' < digits < '_' < letters: byte order, not a locale's collation
        List<String> names = List.of("b", "a_b", "a/b", "a-b", "a.b", "a", "a0", "ab", "c/d/e");
        names.forEach(n -> store.createRepository(OTHER_ACCOUNT, name(n), T0));
        List<RepositoryName> expected = names.stream().sorted().map(MetadataStoreContract::name).toList();

        List<RepositoryName> pages = new ArrayList<>();
        RepositoryName after = null;
        for (List<RepositoryName> page; !(page = store.listRepositories(OTHER_ACCOUNT, after, 4)).isEmpty(); ) {
            assertThat(page).hasSizeLessThanOrEqualTo(4);
            pages.addAll(page);
            after = page.getLast();
        }
        assertThat(pages).isEqualTo(expected);
        assertThat(store.listRepositories(OTHER_ACCOUNT, name("a0"), 2)).containsExactly(name("a_b"), name("ab"));
        assertThat(store.listRepositories(OTHER_ACCOUNT, name("aa"), 100)).startsWith(name("ab"));
    }

    // ---- BlobIndex

    @Test
    void addBlobRecordsTheBlobAndLinksIt() {
        Digest d = blobDigest("layer");
        store.addBlob(repo, d, 42, T0);
        assertThat(store.blobSize(d)).hasValue(42);
        assertThat(store.linkedBlobSize(repo, d)).hasValue(42);
        assertThat(store.linkedBlobSize(otherRepo, d)).isEmpty();
        assertThat(store.blobSize(blobDigest("unknown"))).isEmpty();
    }

    @Test
    void listBlobsPagesThroughEveryRecordedBlobInDigestOrder() {
        List<Digest> digests = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Digest d = blobDigest("blob " + i);
            store.addBlob(i % 2 == 0 ? repo : otherRepo, d, i, T0);
            digests.add(d);
        }
        java.util.Collections.sort(digests);
        List<StoredBlob> first = store.listBlobs(null, 3);
        assertThat(first).extracting(StoredBlob::digest).containsExactlyElementsOf(digests.subList(0, 3));
        assertThat(store.listBlobs(first.getLast().digest(), 3)).extracting(StoredBlob::digest)
                .containsExactlyElementsOf(digests.subList(3, 5));
        assertThat(store.listBlobs(digests.getLast(), 3)).isEmpty();
        assertThat(first.getFirst().size()).isEqualTo(store.blobSize(digests.getFirst()).getAsLong());
    }

    @Test
    void addBlobIsIdempotentAndLinksFurtherRepositories() {
        Digest d = blobDigest("layer");
        store.addBlob(repo, d, 42, T0);
        store.addBlob(repo, d, 42, at(1));
        store.addBlob(otherRepo, d, 42, at(2));
        assertThat(store.linkedBlobSize(repo, d)).hasValue(42);
        assertThat(store.linkedBlobSize(otherRepo, d)).hasValue(42);
    }

    @Test
    void linkBlobMountsOnlyWhatTheSourceHolds() {
        Digest known = blobDigest("known");
        long third = store.createRepository(ACCOUNT, name("library/third"), T0).id();
        store.addBlob(repo, known, 7, T0);
        assertThat(store.linkBlob(repo, otherRepo, blobDigest("unknown"), T0)).isFalse();
        assertThat(store.linkedBlobSize(otherRepo, blobDigest("unknown"))).isEmpty();
        // the blob exists in the registry, but not in the named source
        assertThat(store.linkBlob(third, otherRepo, known, T0)).isFalse();
        assertThat(store.linkedBlobSize(otherRepo, known)).isEmpty();
        assertThat(store.linkBlob(repo, otherRepo, known, T0)).isTrue();
        assertThat(store.linkBlob(repo, otherRepo, known, at(1))).isTrue();
        assertThat(store.linkedBlobSize(otherRepo, known)).hasValue(7);
    }

    @Test
    void linkBlobRefusesASourceThatUnlinkedIt() {
        Digest d = blobDigest("gone");
        store.addBlob(repo, d, 7, T0);
        store.unlinkBlob(repo, d);
        assertThat(store.linkBlob(repo, otherRepo, d, T0)).isFalse();
        assertThat(store.linkedBlobSize(otherRepo, d)).isEmpty();
    }

    @Test
    void repositoriesHoldingListsLiveLinksOfTheAccountByName() {
        Digest d = blobDigest("shared");
        long foreign = store.createRepository(OTHER_ACCOUNT, name("library/app"), T0).id();
        long third = store.createRepository(ACCOUNT, name("library/third"), T0).id();
        store.addBlob(otherRepo, d, 3, T0);
        store.addBlob(repo, d, 3, T0);
        store.addBlob(foreign, d, 3, T0);
        store.addBlob(third, d, 3, T0);
        store.unlinkBlob(third, d);
        assertThat(store.repositoriesHolding(ACCOUNT, d, 10)).containsExactly(name("library/app"), name("library/other"));
        assertThat(store.repositoriesHolding(ACCOUNT, d, 1)).containsExactly(name("library/app"));
        assertThat(store.repositoriesHolding(OTHER_ACCOUNT, d, 10)).containsExactly(name("library/app"));
        assertThat(store.repositoriesHolding(ACCOUNT, blobDigest("unknown"), 10)).isEmpty();
    }

    @Test
    void unlinkBlobKeepsTheBlobForGarbageCollection() {
        Digest d = blobDigest("layer");
        store.addBlob(repo, d, 42, T0);
        store.addBlob(otherRepo, d, 42, T0);
        assertThat(store.unlinkBlob(repo, d)).isTrue();
        assertThat(store.unlinkBlob(repo, d)).isFalse();
        assertThat(store.linkedBlobSize(repo, d)).isEmpty();
        assertThat(store.linkedBlobSize(otherRepo, d)).hasValue(42);
        assertThat(store.blobSize(d)).hasValue(42);
    }

    @Test
    void missingBlobsIsTheUnlinkedSubset() {
        Digest a = blobDigest("a");
        Digest b = blobDigest("b");
        Digest c = blobDigest("c");
        store.addBlob(repo, a, 1, T0);
        store.addBlob(otherRepo, b, 1, T0);
        assertThat(store.missingBlobs(repo, List.of(a, b, c))).containsExactlyInAnyOrder(b, c);
        assertThat(store.missingBlobs(repo, List.of(a))).isEmpty();
        assertThat(store.missingBlobs(repo, List.of())).isEmpty();
    }

    @Test
    void missingBlobsHandlesLargeBatches() {
        List<Digest> digests = IntStream.range(0, 1500).mapToObj(i -> blobDigest("many-" + i)).toList();
        for (int i = 0; i < digests.size(); i += 2) {
            store.addBlob(repo, digests.get(i), i, T0);
        }
        assertThat(store.missingBlobs(repo, digests)).hasSize(750).doesNotContain(digests.getFirst());
    }

    // ---- ManifestIndex

    @Test
    void putManifestStoresBytesAndIndexedFields() {
        Manifest m = image("m", List.of(blobDigest("l1")));
        store.putManifest(repo, m, null, at(3));
        StoredManifest stored = store.findManifest(repo, m.digest()).orElseThrow();
        assertThat(stored.digest()).isEqualTo(m.digest());
        assertThat(stored.mediaType()).isEqualTo(m.mediaType());
        assertThat(stored.content()).isEqualTo(m.content());
        assertThat(stored.size()).isEqualTo(m.size());
        assertThat(stored.pushedAt()).isEqualTo(at(3));
        assertThat(stored.subject()).isNull();
        assertThat(stored.artifactType()).isEqualTo(TestManifests.CONFIG_TYPE);
        assertThat(store.listTags(repo, null, 10)).isEmpty();
        assertThat(store.findManifest(otherRepo, m.digest())).isEmpty();
    }

    @Test
    void putManifestWithATagPointsAndMovesTheTag() {
        Manifest v1 = image("v1", List.of());
        Manifest v2 = image("v2", List.of());
        store.putManifest(repo, v1, tag("latest"), T0);
        assertThat(store.resolveTag(repo, tag("latest"))).contains(v1.digest());
        store.putManifest(repo, v2, tag("latest"), at(1));
        assertThat(store.resolveTag(repo, tag("latest"))).contains(v2.digest());
        assertThat(store.findManifest(repo, v1.digest())).isPresent();
        assertThat(store.resolveTag(otherRepo, tag("latest"))).isEmpty();
    }

    @Test
    void putManifestAgainKeepsTheFirstPushTimeAndCanTagIt() {
        Manifest m = image("m", List.of(blobDigest("l1"), blobDigest("l1")));
        store.putManifest(repo, m, null, at(1));
        store.putManifest(repo, m, tag("a"), at(2));
        store.putManifest(repo, m, tag("b"), at(3));
        assertThat(store.findManifest(repo, m.digest()).orElseThrow().pushedAt()).isEqualTo(at(1));
        assertThat(store.listTags(repo, null, 10)).containsExactly(tag("a"), tag("b"));
    }

    @Test
    void deleteManifestRemovesItAndOnlyItsTags() {
        Manifest gone = image("gone", List.of(blobDigest("l1")));
        Manifest kept = image("kept", List.of(blobDigest("l1")));
        store.putManifest(repo, gone, tag("a"), T0);
        store.putManifest(repo, gone, tag("b"), T0);
        store.putManifest(repo, kept, tag("c"), T0);
        store.putManifest(otherRepo, gone, tag("a"), T0);

        assertThat(store.deleteManifest(repo, gone.digest())).isTrue();
        assertThat(store.deleteManifest(repo, gone.digest())).isFalse();
        assertThat(store.findManifest(repo, gone.digest())).isEmpty();
        assertThat(store.listTags(repo, null, 10)).containsExactly(tag("c"));
        assertThat(store.resolveTag(otherRepo, tag("a"))).contains(gone.digest());
    }

    @Test
    void aDeletedManifestCanBePushedAgain() {
        Manifest m = image("m", List.of(blobDigest("l1"), blobDigest("l2")));
        store.putManifest(repo, m, tag("t"), at(1));
        store.deleteManifest(repo, m.digest());
        store.putManifest(repo, m, tag("t"), at(2));
        assertThat(store.findManifest(repo, m.digest()).orElseThrow().pushedAt()).isEqualTo(at(2));
        assertThat(store.resolveTag(repo, tag("t"))).contains(m.digest());
    }

    @Test
    void referrersAreOrderedByDigestAndScopedToSubjectAndRepository() {
        Manifest subject = image("subject", List.of());
        Manifest other = image("other-subject", List.of());
        store.putManifest(repo, subject, null, T0);
        List<Manifest> refs = IntStream.range(0, 5)
                .mapToObj(i -> referrer("sig-" + i, subject, i % 2 == 0 ? "application/vnd.example.sig" : null))
                .toList();
        refs.forEach(r -> store.putManifest(repo, r, null, T0));
        store.putManifest(repo, referrer("unrelated", other, null), null, T0);
        store.putManifest(otherRepo, referrer("elsewhere", subject, null), null, T0);

        List<StoredManifest> found = store.referrers(repo, subject.digest());
        assertThat(found).extracting(StoredManifest::digest)
                .containsExactlyElementsOf(refs.stream().map(Manifest::digest).sorted().toList());
        assertThat(found).allSatisfy(s -> assertThat(s.subject()).isEqualTo(subject.digest()));
        assertThat(found).extracting(StoredManifest::artifactType)
                .containsOnly("application/vnd.example.sig", TestManifests.CONFIG_TYPE);
        assertThat(store.referrers(repo, blobDigest("nothing points here"))).isEmpty();
    }

    @Test
    void referrersMayPrecedeTheirSubjectAndDisappearWithDeletion() {
        Manifest subject = image("subject", List.of());
        Manifest sig = referrer("sig", subject, "application/vnd.example.sig");
        store.putManifest(repo, sig, null, T0);
        assertThat(store.referrers(repo, subject.digest())).extracting(StoredManifest::digest).containsExactly(sig.digest());
        store.deleteManifest(repo, sig.digest());
        assertThat(store.referrers(repo, subject.digest())).isEmpty();
    }

    @Test
    void missingManifestsIsTheSubsetNotInTheRepository() {
        Manifest amd64 = image("amd64", List.of());
        Manifest arm64 = image("arm64", List.of());
        store.putManifest(repo, amd64, null, T0);
        store.putManifest(otherRepo, arm64, null, T0);
        assertThat(store.missingManifests(repo, List.of(amd64.digest(), arm64.digest()))).containsExactly(arm64.digest());
        store.putManifest(repo, arm64, null, T0);
        Manifest idx = index(List.of(amd64, arm64));
        assertThat(store.missingManifests(repo, idx.manifests().stream().map(d -> d.digest()).toList())).isEmpty();
        store.putManifest(repo, idx, tag("multi"), T0);
        assertThat(store.findManifest(repo, idx.digest()).orElseThrow().artifactType()).isNull();
        assertThat(store.missingManifests(repo, List.of())).isEmpty();
    }

    // ---- TagIndex

    @Test
    void listTagsPagesInLexicalOrder() {
        Manifest m = image("m", List.of());
        List<String> names = List.of("latest", "v1", "V1", "_x", "1.0", "1.0-rc", "1.0.1", "1.0_1", "10", "a-b", "A");
        names.forEach(t -> store.putManifest(repo, m, tag(t), T0));
        List<Tag> expected = names.stream().sorted().map(MetadataStoreContract::tag).toList();

        List<Tag> pages = new ArrayList<>();
        Tag after = null;
        for (List<Tag> page; !(page = store.listTags(repo, after, 3)).isEmpty(); ) {
            assertThat(page).hasSizeLessThanOrEqualTo(3);
            pages.addAll(page);
            after = page.getLast();
        }
        assertThat(pages).isEqualTo(expected);
        assertThat(store.listTags(repo, tag("1.0"), 2)).containsExactly(tag("1.0-rc"), tag("1.0.1"));
        assertThat(store.listTags(repo, tag("zzz"), 2)).isEmpty();
        assertThat(store.listTags(otherRepo, null, 100)).isEmpty();
    }

    @Test
    void deleteTagKeepsTheManifest() {
        Manifest m = image("m", List.of());
        store.putManifest(repo, m, tag("t"), T0);
        assertThat(store.deleteTag(repo, tag("t"))).isTrue();
        assertThat(store.deleteTag(repo, tag("t"))).isFalse();
        assertThat(store.resolveTag(repo, tag("t"))).isEmpty();
        assertThat(store.findManifest(repo, m.digest())).isPresent();
    }

    // ---- UploadIndex

    @Test
    void uploadsAreCreatedFoundUpdatedAndDeleted() {
        UploadSession session = new UploadSession("u-1", repo, 0, T0, at(60), "arn:aws:iam::000000000000:root");
        openUpload(session);
        assertThat(store.findUpload("u-1")).contains(session);

        assertThat(store.uploadCheckpoint("u-1")).hasValueSatisfying(c -> {
            assertThat(c.offset()).isZero();
            assertThat(c.hashState()).isNull();
        });
        byte[] state = {1, 2, 3, (byte) 0xff};
        assertThat(store.updateUpload("u-1", 0, 1024, at(120), state)).isTrue();
        assertThat(store.findUpload("u-1")).contains(new UploadSession("u-1", repo, 1024, T0, at(120), session.owner()));
        assertThat(store.uploadCheckpoint("u-1")).hasValueSatisfying(c -> {
            assertThat(c.offset()).isEqualTo(1024);
            assertThat(c.hashState()).containsExactly(state);
        });

        store.deleteUpload("u-1");
        store.deleteUpload("u-1");
        assertThat(store.findUpload("u-1")).isEmpty();
    }

    @Test
    void updateOfAnUnknownUploadCreatesNothing() {
        assertThat(store.updateUpload("nope", 0, 5, at(1), null)).isFalse();
        assertThat(store.findUpload("nope")).isEmpty();
        assertThat(store.uploadCheckpoint("nope")).isEmpty();
    }

    /** The offset moves only from the offset its writer saw: a writer that lost a race changes nothing. */
    @Test
    void uploadOffsetsMoveByCompareAndSet() {
        openUpload(new UploadSession("u-cas", repo, 0, T0, at(60), "me"));
        assertThat(store.updateUpload("u-cas", 0, 10, at(70), new byte[] {10})).isTrue();
        assertThat(store.updateUpload("u-cas", 0, 25, at(80), new byte[] {25})).isFalse();
        assertThat(store.findUpload("u-cas")).contains(new UploadSession("u-cas", repo, 10, T0, at(70), "me"));
        assertThat(store.uploadCheckpoint("u-cas")).hasValueSatisfying(c -> assertThat(c.hashState()).containsExactly(10));
        assertThat(store.updateUpload("u-cas", 10, 30, at(90), null)).isTrue();
        assertThat(store.uploadCheckpoint("u-cas")).hasValueSatisfying(c -> {
            assertThat(c.offset()).isEqualTo(30);
            assertThat(c.hashState()).isNull();
        });
    }

    @Test
    void openUploadsAreCappedPerOwnerAndInTotalCountingOnlyUnexpiredOnes() {
        assertThat(store.createUpload(new UploadSession("a1", repo, 0, T0, at(10), "alice"), 2, 3)).isEqualTo(UploadAdmission.OPENED);
        assertThat(store.createUpload(new UploadSession("a2", repo, 0, T0, at(60), "alice"), 2, 3)).isEqualTo(UploadAdmission.OPENED);
        assertThat(store.createUpload(new UploadSession("a3", repo, 0, T0, at(60), "alice"), 2, 3)).isEqualTo(UploadAdmission.OWNER_LIMIT);
        assertThat(store.createUpload(new UploadSession("b1", otherRepo, 0, T0, at(60), "bob"), 2, 3)).isEqualTo(UploadAdmission.OPENED);
        assertThat(store.createUpload(new UploadSession("b2", repo, 0, T0, at(60), "bob"), 2, 3)).isEqualTo(UploadAdmission.REGISTRY_LIMIT);
        assertThat(store.findUpload("a3")).isEmpty();
        assertThat(store.findUpload("b2")).isEmpty();
        // a1 has expired by at(10): it no longer counts, whether or not it was swept yet
        assertThat(store.createUpload(new UploadSession("a3", repo, 0, at(10), at(70), "alice"), 2, 3)).isEqualTo(UploadAdmission.OPENED);
        store.deleteUpload("b1");
        assertThat(store.createUpload(new UploadSession("b2", repo, 0, at(10), at(70), "bob"), 2, 3)).isEqualTo(UploadAdmission.OPENED);
    }

    @Test
    void openUploadsCountsOnlyUnexpiredSessions() {
        assertThat(store.openUploads(T0)).isZero();
        store.createUpload(new UploadSession("o1", repo, 0, T0, at(10), "alice"), 10, 10);
        store.createUpload(new UploadSession("o2", otherRepo, 0, T0, at(60), "bob"), 10, 10);
        assertThat(store.openUploads(T0)).isEqualTo(2);
        assertThat(store.openUploads(at(10))).isEqualTo(1);
        store.deleteUpload("o2");
        assertThat(store.openUploads(T0)).isEqualTo(1);
    }

    @Test
    void concurrentOpensNeverOvershootTheCap() throws Exception {
        List<UploadAdmission> results = concurrently(16, i -> () -> store.createUpload(
                new UploadSession("c-" + i, repo, 0, T0, at(60), "carol"), 5, 1000));
        assertThat(results).filteredOn(a -> a == UploadAdmission.OPENED).hasSize(5);
        assertThat(results).filteredOn(a -> a == UploadAdmission.OWNER_LIMIT).hasSize(11);
    }

    @Test
    void uploadsIntoADeletedRepositoryAreRefusedNotAKeyViolation() {
        store.deleteRepository(otherRepo);
        assertThat(store.createUpload(new UploadSession("gone", otherRepo, 0, T0, at(60), "me"), 10, 10))
                .isEqualTo(UploadAdmission.REPOSITORY_UNKNOWN);
        assertThat(store.findUpload("gone")).isEmpty();
    }

    @Test
    void aBlobPublishedIntoADeletedRepositoryIsRecordedButNotLinked() {
        Digest d = blobDigest("late");
        store.deleteRepository(otherRepo);
        assertThat(store.addBlob(otherRepo, d, 5, T0)).isFalse();
        assertThat(store.blobSize(d)).hasValue(5); // its committed bytes have a row
        assertThat(store.linkedBlobSize(otherRepo, d)).isEmpty();
        assertThat(store.addBlob(repo, d, 5, T0)).isTrue();
        assertThat(store.linkBlob(repo, otherRepo, d, T0)).isFalse(); // a mount into it
        assertThat(store.linkedBlobSize(otherRepo, d)).isEmpty();
    }

    @Test
    void expiredUploadsAreThoseStrictlyBeforeNowOldestFirst() {
        openUpload(new UploadSession("late", repo, 0, T0, at(30), "me"));
        openUpload(new UploadSession("early", otherRepo, 0, T0, at(10), "me"));
        openUpload(new UploadSession("middle", repo, 0, T0, at(20), "me"));
        openUpload(new UploadSession("now", repo, 0, T0, at(40), "me"));
        assertThat(store.expiredUploads(at(40), 10)).extracting(UploadSession::id).containsExactly("early", "middle", "late");
        assertThat(store.expiredUploads(at(40), 2)).extracting(UploadSession::id).containsExactly("early", "middle");
        assertThat(store.expiredUploads(at(10), 10)).isEmpty();
    }

    // ---- whole store

    @Test
    void concurrentWritersAllSucceed() throws Exception {
        int threads = 8;
        int perThread = 25;
        concurrently(threads, t -> () -> {
            for (int i = 0; i < perThread; i++) {
                Digest layer = blobDigest("concurrent-" + t + "-" + i);
                store.addBlob(repo, layer, i, T0);
                store.putManifest(repo, image("c-" + t + "-" + i, List.of(layer)), tag("t" + t + "-" + i), T0);
                store.putManifest(repo, image("shared-" + i, List.of()), tag("shared-" + i), T0);
                assertThat(store.resolveTag(repo, tag("shared-" + i))).isPresent();
            }
            return null;
        });
        assertThat(store.listTags(repo, null, 1000)).hasSize(threads * perThread + perThread);
        assertThat(store.missingBlobs(repo, List.of(blobDigest("concurrent-7-24")))).isEmpty();
    }

    @Test
    void isHealthyWhileOpen() {
        assertThat(store.isHealthy()).isTrue();
    }

}
