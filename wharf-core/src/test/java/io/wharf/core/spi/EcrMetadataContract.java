package io.wharf.core.spi;

import static io.wharf.core.spi.TestManifests.blobDigest;
import static io.wharf.core.spi.TestManifests.image;
import static io.wharf.core.spi.TestManifests.index;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Encryption;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.RepositorySettings;
import io.wharf.core.model.TagFilter;
import io.wharf.core.model.TagMutability;
import io.wharf.core.model.TagMutabilityPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract of the indexes behind the ECR API: settings, images, resource tags, documents, upload parts. */
public abstract class EcrMetadataContract extends MetadataStoreFixture {

    private static final RepositorySettings CUSTOM = new RepositorySettings(
            new TagMutabilityPolicy(TagMutability.IMMUTABLE_WITH_EXCLUSION, List.of(new TagFilter("latest"), new TagFilter("dev-*"))),
            true, new Encryption(Encryption.Type.KMS, "arn:aws:kms:us-east-1:123456789012:key/abc"));

    // ---- RepositoryIndex (explicit creation, settings, deletion)

    @Test
    void explicitCreationStoresSettingsAndRefusesTakenNames() {
        Repository created = store.createRepository(ACCOUNT, name("ecr/app"), CUSTOM, at(1)).orElseThrow();
        assertThat(created.settings()).isEqualTo(CUSTOM);
        assertThat(store.findRepository(ACCOUNT, name("ecr/app"))).contains(created);
        assertThat(store.createRepository(ACCOUNT, name("ecr/app"), RepositorySettings.DEFAULTS, at(2))).isEmpty();
        assertThat(store.createRepository(ACCOUNT, name("library/app"), CUSTOM, at(2))).isEmpty();
        assertThat(store.findRepository(ACCOUNT, name("library/app")).orElseThrow().settings())
                .isEqualTo(RepositorySettings.DEFAULTS);
    }

    @Test
    void creationWithResourceTagsStoresThemWithTheRepositoryAndNotForATakenName() {
        long created = store.createRepository(ACCOUNT, name("ecr/tagged"), CUSTOM, Map.of("env", "prod"), at(1))
                .orElseThrow().id();
        assertThat(store.resourceTags(created)).containsExactly(Map.entry("env", "prod"));
        assertThat(store.createRepository(ACCOUNT, name("ecr/tagged"), CUSTOM, Map.of("env", "dev"), at(2))).isEmpty();
        assertThat(store.resourceTags(created)).containsExactly(Map.entry("env", "prod"));
    }

    @Test
    void describeRepositoriesPagesWholeRowsAndCountsPerAccount() {
        store.createRepository(OTHER_ACCOUNT, name("b"), CUSTOM, T0);
        store.createRepository(OTHER_ACCOUNT, name("a"), RepositorySettings.DEFAULTS, T0);
        store.createRepository(OTHER_ACCOUNT, name("c"), RepositorySettings.DEFAULTS, T0);
        assertThat(store.describeRepositories(OTHER_ACCOUNT, null, 2)).extracting(r -> r.name().value()).containsExactly("a", "b");
        assertThat(store.describeRepositories(OTHER_ACCOUNT, name("a"), 5).getFirst().settings()).isEqualTo(CUSTOM);
        assertThat(store.countRepositories(OTHER_ACCOUNT)).isEqualTo(3);
        assertThat(store.countRepositories(ACCOUNT)).isEqualTo(2);
        assertThat(store.countRepositories("999999999999")).isZero();
    }

    @Test
    void describeRepositoriesDescendingPagesBackwardsPerAccount() {
        for (String n : new String[] {"b", "a", "c", "d"}) {
            store.createRepository(OTHER_ACCOUNT, name(n), n.equals("c") ? CUSTOM : RepositorySettings.DEFAULTS, T0);
        }
        assertThat(store.describeRepositoriesDescending(OTHER_ACCOUNT, null, 2)).extracting(r -> r.name().value())
                .containsExactly("d", "c");
        assertThat(store.describeRepositoriesDescending(OTHER_ACCOUNT, name("c"), 5)).extracting(r -> r.name().value())
                .containsExactly("b", "a");
        assertThat(store.describeRepositoriesDescending(OTHER_ACCOUNT, name("d"), 1).getFirst().settings()).isEqualTo(CUSTOM);
        assertThat(store.describeRepositoriesDescending(OTHER_ACCOUNT, name("a"), 5)).isEmpty();
        assertThat(store.describeRepositoriesDescending("999999999999", null, 5)).isEmpty();
    }

    @Test
    void settingsCanBeReplaced() {
        assertThat(store.updateRepositorySettings(repo, CUSTOM, at(5))).isTrue();
        assertThat(store.findRepository(ACCOUNT, name("library/app")).orElseThrow().settings()).isEqualTo(CUSTOM);
        assertThat(store.updateRepositorySettings(999_999, CUSTOM, at(5))).isFalse();
    }

    /** Scan on push goes by the flag in force at the push: the store dates each change of it, and only those. */
    @Test
    void aChangeOfTheScanOnPushFlagIsDatedAndOtherChangesAreNot() {
        Repository created = store.findRepository(ACCOUNT, name("library/app")).orElseThrow();
        assertThat(created.scanOnPushChangedAt()).isNull();
        assertThat(created.scanOnPushSince()).isEqualTo(created.createdAt());

        store.updateRepositorySettings(repo, RepositorySettings.DEFAULTS.withScanOnPush(true), at(5));
        assertThat(store.findRepository(ACCOUNT, name("library/app")).orElseThrow().scanOnPushSince()).isEqualTo(at(5));
        store.updateRepositorySettings(repo, CUSTOM, at(9)); // the flag stays on: its date stays
        assertThat(store.findRepository(ACCOUNT, name("library/app")).orElseThrow().scanOnPushChangedAt()).isEqualTo(at(5));
        store.updateRepositorySettings(repo, CUSTOM.withScanOnPush(false), at(12));
        assertThat(store.describeRepositories(ACCOUNT, null, 10).stream().filter(r -> r.id() == repo).findFirst()
                .orElseThrow().scanOnPushChangedAt()).isEqualTo(at(12));
    }

    @Test
    void deletingARepositoryRemovesEverythingInIt() {
        Digest layer = blobDigest("l");
        store.addBlob(repo, layer, 3, T0);
        store.putManifest(repo, image("m", List.of(layer)), tag("t"), T0);
        store.putResourceTags(repo, Map.of("k", "v"));
        store.putRepositoryDocument(repo, DocumentKind.REPOSITORY_POLICY, "{}", T0);
        openUpload(new UploadSession("u-del", repo, 0, T0, at(60), "me"));

        assertThat(store.deleteRepository(repo)).isTrue();
        assertThat(store.deleteRepository(repo)).isFalse();
        assertThat(store.findRepository(ACCOUNT, name("library/app"))).isEmpty();
        assertThat(store.findUpload("u-del")).isEmpty();
        assertThat(store.blobSize(layer)).hasValue(3); // bytes stay for garbage collection
        long again = store.createRepository(ACCOUNT, name("library/app"), T0).id();
        assertThat(again).isNotEqualTo(repo);
        assertThat(store.listTags(again, null, 10)).isEmpty();
        assertThat(store.resourceTags(again)).isEmpty();
        assertThat(store.repositoryDocument(again, DocumentKind.REPOSITORY_POLICY)).isEmpty();
    }

    // ---- ManifestIndex: guarded tag moves

    @Test
    void putManifestReportsWhatHappenedToTheTag() {
        Manifest a = image("a", List.of());
        Manifest b = image("b", List.of());
        assertThat(store.putManifest(repo, a, null, T0, true)).isEqualTo(TagOutcome.NONE);
        assertThat(store.putManifest(repo, a, tag("t"), T0, false)).isEqualTo(TagOutcome.CREATED);
        assertThat(store.putManifest(repo, a, tag("t"), T0, false)).isEqualTo(TagOutcome.UNCHANGED);
        assertThat(store.putManifest(repo, b, tag("t"), T0, false)).isEqualTo(TagOutcome.REFUSED);
        assertThat(store.findManifest(repo, b.digest())).as("a refused put writes nothing").isEmpty();
        assertThat(store.resolveTag(repo, tag("t"))).contains(a.digest());
        assertThat(store.putManifest(repo, b, tag("t"), T0, true)).isEqualTo(TagOutcome.MOVED);
        assertThat(store.resolveTag(repo, tag("t"))).contains(b.digest());
    }

    @Test
    void resourceTagsAndDocumentsOfADeletedRepositoryAreRefusedNotAKeyViolation() {
        store.deleteRepository(otherRepo);
        assertThat(store.putResourceTags(otherRepo, Map.of("k", "v"))).isFalse();
        assertThat(store.putRepositoryDocument(otherRepo, DocumentKind.REPOSITORY_POLICY, "{}", T0)).isFalse();
        assertThat(store.resourceTags(otherRepo)).isEmpty();
        assertThat(store.repositoryDocument(otherRepo, DocumentKind.REPOSITORY_POLICY)).isEmpty();
        assertThat(store.putResourceTags(repo, Map.of("k", "v"))).isTrue();
        assertThat(store.putRepositoryDocument(repo, DocumentKind.REPOSITORY_POLICY, "{}", T0)).isTrue();
    }

    @Test
    void aManifestPutIntoADeletedRepositoryWritesNothing() {
        Manifest a = image("late", List.of());
        store.deleteRepository(otherRepo);
        assertThat(store.putManifest(otherRepo, a, tag("t"), T0, true)).isEqualTo(TagOutcome.REPOSITORY_UNKNOWN);
        assertThat(store.findManifest(otherRepo, a.digest())).isEmpty();
        assertThat(store.resolveTag(otherRepo, tag("t"))).isEmpty();
    }

    // ---- ImageIndex

    @Test
    void imagesAreListedWithTheirTagsAndFilteredByTagStatus() {
        Manifest tagged = image("tagged", List.of());
        Manifest untagged = image("untagged", List.of());
        store.putManifest(repo, tagged, tag("b"), at(1));
        store.putManifest(repo, tagged, tag("a"), at(1));
        store.putManifest(repo, untagged, null, at(2));

        List<ImageRecord> all = store.listImages(repo, TagStatus.ANY, null, 10);
        assertThat(all).extracting(i -> i.manifest().digest())
                .containsExactlyElementsOf(List.of(tagged.digest(), untagged.digest()).stream().sorted().toList());
        ImageRecord first = store.findImage(repo, tagged.digest()).orElseThrow();
        assertThat(first.tags()).containsExactly(tag("a"), tag("b"));
        assertThat(first.manifest().pushedAt()).isEqualTo(at(1));
        assertThat(store.listImages(repo, TagStatus.TAGGED, null, 10)).extracting(i -> i.manifest().digest()).containsExactly(tagged.digest());
        assertThat(store.listImages(repo, TagStatus.UNTAGGED, null, 10)).extracting(i -> i.manifest().digest()).containsExactly(untagged.digest());
        assertThat(store.listImages(repo, TagStatus.ANY, all.getFirst().manifest().digest(), 10)).hasSize(1);
        assertThat(store.findImage(otherRepo, tagged.digest())).isEmpty();
        assertThat(store.countImages(repo)).isEqualTo(2);
        assertThat(store.countImages(otherRepo)).isZero();
        store.deleteManifest(repo, untagged.digest());
        assertThat(store.countImages(repo)).isEqualTo(1);
        long inside = store.inTransaction("push", unit -> {
            unit.putManifest(repo, untagged, null, at(3));
            return unit.countImages(repo);
        });
        assertThat(inside).as("a push's quota check sees the transaction's own rows").isEqualTo(2);
    }

    @Test
    void imageTagsListOneEntryPerTagAndOnePerUntaggedImageInKeysetPages() {
        List<ImageTagRef> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Manifest m = image("img-" + i, List.of());
            List<String> tags = i % 2 == 0 ? List.of("x" + i, "y" + i) : List.of();
            store.putManifest(repo, m, null, T0);
            tags.forEach(t -> store.putManifest(repo, m, tag(t), T0));
            if (tags.isEmpty()) {
                expected.add(new ImageTagRef(m.digest(), null));
            }
            tags.forEach(t -> expected.add(new ImageTagRef(m.digest(), tag(t))));
        }
        List<ImageTagRef> sorted = expected.stream().sorted().toList();
        List<ImageTagRef> paged = new ArrayList<>();
        ImageTagRef after = null;
        for (List<ImageTagRef> page; !(page = store.listImageTags(repo, TagStatus.ANY, after, 2)).isEmpty(); ) {
            paged.addAll(page);
            after = page.getLast();
        }
        assertThat(paged).isEqualTo(sorted);
        assertThat(store.listImageTags(repo, TagStatus.UNTAGGED, null, 100)).hasSize(2).allMatch(r -> r.tag() == null);
        assertThat(store.listImageTags(repo, TagStatus.TAGGED, null, 100)).hasSize(6).allMatch(r -> r.tag() != null);
    }

    @Test
    void parentsAndBlobReferencesAreFoundPerRepository() {
        Digest layer = blobDigest("layer");
        Manifest child = image("child", List.of(layer));
        Manifest idx = index(List.of(child));
        store.putManifest(repo, child, null, T0);
        store.putManifest(repo, idx, tag("multi"), T0);
        assertThat(store.parentsOf(repo, child.digest())).containsExactly(idx.digest());
        assertThat(store.parentsOf(repo, idx.digest())).isEmpty();
        assertThat(store.parentsOf(otherRepo, child.digest())).isEmpty();
        assertThat(store.isBlobReferenced(repo, layer)).isTrue();
        assertThat(store.isBlobReferenced(repo, TestManifests.configOf("child"))).isTrue();
        assertThat(store.isBlobReferenced(otherRepo, layer)).isFalse();
        store.deleteManifest(repo, idx.digest());
        store.deleteManifest(repo, child.digest());
        assertThat(store.isBlobReferenced(repo, layer)).isFalse();
    }

    @Test
    void summariesAreTheImagesWithoutTheirBytesAndIndexChildrenAreFoundInOneCall() {
        Manifest child = image("child", List.of());
        Manifest idx = index(List.of(child));
        Manifest sig = TestManifests.referrer("sig", child, "application/example");
        store.putManifest(repo, child, null, at(1));
        store.putManifest(repo, idx, tag("multi"), at(2));
        store.putManifest(repo, sig, tag("b"), at(3));
        store.putManifest(repo, sig, tag("a"), at(3));
        store.recordPull(repo, child.digest(), at(9));
        List<ImageSummary> paged = new ArrayList<>();
        Digest after = null;
        for (List<ImageSummary> page; !(page = store.summarizeImages(repo, after, 2)).isEmpty(); ) {
            paged.addAll(page);
            after = page.getLast().digest();
        }
        assertThat(paged).isEqualTo(store.listImages(repo, TagStatus.ANY, null, 10).stream()
                .map(i -> new ImageSummary(i.manifest().digest(), i.manifest().subject(), i.manifest().pushedAt(),
                        i.manifest().lastPulledAt(), i.tags())).toList());
        assertThat(paged).filteredOn(i -> i.digest().equals(sig.digest())).singleElement().satisfies(i -> {
            assertThat(i.subject()).isEqualTo(child.digest());
            assertThat(i.tags()).containsExactly(tag("a"), tag("b"));
        });
        assertThat(paged).filteredOn(i -> i.digest().equals(child.digest())).singleElement()
                .satisfies(i -> assertThat(i.lastPulledAt()).isEqualTo(at(9)));
        assertThat(store.indexChildren(repo)).containsExactly(child.digest());
        assertThat(store.indexChildren(otherRepo)).isEmpty();
        assertThat(store.summarizeImages(otherRepo, null, 10)).isEmpty();
    }

    @Test
    void pullsAreRecorded() {
        Manifest m = image("pulled", List.of());
        store.putManifest(repo, m, null, T0);
        assertThat(store.findManifest(repo, m.digest()).orElseThrow().lastPulledAt()).isNull();
        store.recordPull(repo, m.digest(), at(30));
        assertThat(store.findManifest(repo, m.digest()).orElseThrow().lastPulledAt()).isEqualTo(at(30));
        assertThat(store.findImage(repo, m.digest()).orElseThrow().manifest().lastPulledAt()).isEqualTo(at(30));
        store.recordPull(repo, image("absent", List.of()).digest(), at(31)); // no error, no row
    }

    // ---- ResourceTagIndex

    @Test
    void resourceTagsMergeOverwriteAndRemove() {
        store.putResourceTags(repo, Map.of("team", "a", "env", "dev"));
        store.putResourceTags(repo, Map.of("env", "prod"));
        assertThat(store.resourceTags(repo)).containsExactly(Map.entry("env", "prod"), Map.entry("team", "a"));
        store.removeResourceTags(repo, List.of("team", "unknown"));
        assertThat(store.resourceTags(repo)).containsExactly(Map.entry("env", "prod"));
        assertThat(store.resourceTags(otherRepo)).isEmpty();
    }

    // ---- DocumentIndex

    @Test
    void documentsAreScopedByRepositoryAccountAndKind() {
        store.putRepositoryDocument(repo, DocumentKind.REPOSITORY_POLICY, "{\"a\":1}", at(1));
        store.putRepositoryDocument(repo, DocumentKind.REPOSITORY_POLICY, "{\"a\":2}", at(2));
        assertThat(store.repositoryDocument(repo, DocumentKind.REPOSITORY_POLICY))
                .contains(new StoredDocument("{\"a\":2}", at(2)));
        assertThat(store.repositoryDocument(repo, DocumentKind.LIFECYCLE_POLICY)).isEmpty();
        assertThat(store.repositoryDocument(otherRepo, DocumentKind.REPOSITORY_POLICY)).isEmpty();
        assertThat(store.deleteRepositoryDocument(repo, DocumentKind.REPOSITORY_POLICY)).isTrue();
        assertThat(store.deleteRepositoryDocument(repo, DocumentKind.REPOSITORY_POLICY)).isFalse();

        store.putAccountDocument(ACCOUNT, DocumentKind.REGISTRY_POLICY, "p", at(3));
        assertThat(store.accountDocument(ACCOUNT, DocumentKind.REGISTRY_POLICY)).contains(new StoredDocument("p", at(3)));
        assertThat(store.accountDocument(OTHER_ACCOUNT, DocumentKind.REGISTRY_POLICY)).isEmpty();
        assertThat(store.deleteAccountDocument(ACCOUNT, DocumentKind.REGISTRY_POLICY)).isTrue();
        assertThat(store.accountDocument(ACCOUNT, DocumentKind.REGISTRY_POLICY)).isEmpty();
    }

    /** Every kind, the signature policy and the signing configuration included, is its own document. */
    @Test
    void everyDocumentKindIsKeptApart() {
        for (DocumentKind kind : DocumentKind.values()) {
            store.putRepositoryDocument(repo, kind, "r-" + kind, at(1));
            store.putAccountDocument(ACCOUNT, kind, "a-" + kind, at(2));
        }
        for (DocumentKind kind : DocumentKind.values()) {
            assertThat(store.repositoryDocument(repo, kind)).contains(new StoredDocument("r-" + kind, at(1)));
            assertThat(store.accountDocument(ACCOUNT, kind)).contains(new StoredDocument("a-" + kind, at(2)));
        }
        assertThat(store.deleteRepositoryDocument(repo, DocumentKind.SIGNATURE_POLICY)).isTrue();
        assertThat(store.repositoryDocument(repo, DocumentKind.SIGNATURE_POLICY)).isEmpty();
        assertThat(store.repositoryDocument(repo, DocumentKind.REPOSITORY_POLICY)).isPresent();
        assertThat(store.deleteAccountDocument(ACCOUNT, DocumentKind.SIGNING_CONFIGURATION)).isTrue();
        assertThat(store.accountDocument(ACCOUNT, DocumentKind.SIGNING_CONFIGURATION)).isEmpty();
    }

    @Test
    void repositoriesWithADocumentOfAKindAreFoundAcrossAccountsInIdOrder() {
        long foreign = store.createRepository(OTHER_ACCOUNT, name("library/app"), T0).id();
        store.putRepositoryDocument(foreign, DocumentKind.LIFECYCLE_POLICY, "{}", T0);
        store.putRepositoryDocument(repo, DocumentKind.LIFECYCLE_POLICY, "{}", T0);
        store.putRepositoryDocument(otherRepo, DocumentKind.REPOSITORY_POLICY, "{}", T0);
        assertThat(store.repositoriesWithDocument(DocumentKind.LIFECYCLE_POLICY)).extracting(Repository::id)
                .containsExactly(repo, foreign);
        store.deleteRepository(repo);
        assertThat(store.repositoriesWithDocument(DocumentKind.LIFECYCLE_POLICY)).extracting(Repository::id)
                .containsExactly(foreign);
    }

    // ---- UploadIndex: parts

    @Test
    void uploadPartsAreKeptWithTheSessionAndGoWithIt() {
        openUpload(new UploadSession("u-parts", repo, 0, T0, at(60), "me"));
        assertThat(store.uploadParts("u-parts")).isEqualTo(UploadParts.NONE);
        UploadParts parts = UploadParts.NONE.next(10, 5).next(3, 5).next(7, 5);
        assertThat(parts).isEqualTo(new UploadParts(3, 7, true));
        store.putUploadParts("u-parts", parts);
        assertThat(store.uploadParts("u-parts")).isEqualTo(parts);
        store.deleteUpload("u-parts");
        assertThat(store.uploadParts("u-parts")).isEqualTo(UploadParts.NONE);
        store.putUploadParts("u-parts", parts);
        assertThat(store.uploadParts("u-parts")).isEqualTo(UploadParts.NONE);
    }
}
