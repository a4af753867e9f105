package io.wharf.core.spi;

import static io.wharf.core.spi.TestManifests.blobDigest;
import static io.wharf.core.spi.TestManifests.image;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract of {@link UsageIndex}; every backend runs it. The fixture's two repositories start empty. */
public abstract class UsageIndexContract extends MetadataStoreFixture {
    private static final Digest MINE = blobDigest("mine");
    private static final Digest SHARED = blobDigest("shared");
    private static final Digest THEIRS = blobDigest("theirs");

    private RepositoryUsage usage(long repositoryId) {
        return store.repositoryUsage(repositoryId).orElseThrow();
    }

    @Test
    void anEmptyRepositoryUsesNothing() {
        assertThat(usage(repo)).isEqualTo(new RepositoryUsage(repo, name("library/app"), 0, 0, 0, 0, 0, 0));
        assertThat(store.registryUsage()).isEqualTo(new RegistryUsage(2, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void anUnknownRepositoryHasNoUsage() {
        assertThat(store.repositoryUsage(repo + otherRepo + 1000)).isEmpty();
        store.deleteRepository(otherRepo);
        assertThat(store.repositoryUsage(otherRepo)).isEmpty();
    }

    @Test
    void aSharedBlobCountsInBothRepositoriesButIsExclusiveToNeither() {
        store.addBlob(repo, MINE, 100, at(1));
        store.addBlob(repo, SHARED, 1000, at(1));
        assertThat(store.linkBlob(repo, otherRepo, SHARED, at(2))).isTrue();
        store.addBlob(otherRepo, THEIRS, 10, at(3));

        assertThat(usage(repo)).extracting(RepositoryUsage::blobs, RepositoryUsage::blobBytes, RepositoryUsage::exclusiveBytes)
                .containsExactly(2L, 1100L, 100L);
        assertThat(usage(otherRepo)).extracting(RepositoryUsage::blobs, RepositoryUsage::blobBytes, RepositoryUsage::exclusiveBytes)
                .containsExactly(2L, 1010L, 10L);
        RegistryUsage total = store.registryUsage();
        assertThat(total.blobs()).as("stored once").isEqualTo(3);
        assertThat(total.blobBytes()).isEqualTo(1110);
    }

    @Test
    void aBlobUnlinkedFromOneRepositoryBecomesExclusiveToTheOther() {
        store.addBlob(repo, SHARED, 1000, at(1));
        store.linkBlob(repo, otherRepo, SHARED, at(2));
        store.unlinkBlob(repo, SHARED);
        assertThat(usage(repo).blobs()).isZero();
        assertThat(usage(otherRepo).exclusiveBytes()).isEqualTo(1000);
    }

    @Test
    void aRecordedButUnlinkedBlobCountsOnlyInTheTotal() {
        store.addBlob(repo, MINE, 100, at(1));
        store.addBlob(repo, SHARED, 7, at(1));
        store.unlinkBlob(repo, SHARED);
        assertThat(store.addBlob(repo + otherRepo + 1000, THEIRS, 50, at(2))).as("no such repository").isFalse();

        assertThat(usage(repo).blobBytes()).isEqualTo(100);
        assertThat(usage(otherRepo).blobBytes()).isZero();
        assertThat(store.registryUsage()).isEqualTo(new RegistryUsage(2, 0, 0, 3, 157, 2, 57));
    }

    @Test
    void deletingARepositoryLeavesItsExclusiveBlobsUnlinked() {
        store.addBlob(repo, MINE, 100, at(1));
        store.addBlob(repo, SHARED, 1000, at(1));
        store.linkBlob(repo, otherRepo, SHARED, at(2));
        store.deleteRepository(repo);
        assertThat(usage(otherRepo).exclusiveBytes()).isEqualTo(1000);
        RegistryUsage total = store.registryUsage();
        assertThat(total.repositories()).isEqualTo(1);
        assertThat(total.blobBytes()).isEqualTo(1100);
        assertThat(total.unlinkedBytes()).isEqualTo(100);
    }

    @Test
    void imagesTagsAndManifestBytesFollowPushesAndDeletes() {
        Manifest one = image("one", List.of(MINE));
        Manifest two = image("two", List.of(MINE, SHARED));
        store.putManifest(repo, one, tag("v1"), at(1));
        store.putManifest(repo, two, tag("v2"), at(2));
        store.putManifest(repo, two, tag("latest"), at(3));
        store.putManifest(otherRepo, two, null, at(3));
        assertThat(usage(repo)).extracting(RepositoryUsage::images, RepositoryUsage::tags, RepositoryUsage::manifestBytes)
                .containsExactly(2L, 3L, (long) one.size() + two.size());

        assertThat(store.deleteManifest(repo, two.digest())).isTrue();
        assertThat(usage(repo)).extracting(RepositoryUsage::images, RepositoryUsage::tags, RepositoryUsage::manifestBytes)
                .containsExactly(1L, 1L, (long) one.size());
        assertThat(usage(otherRepo).manifestBytes()).isEqualTo(two.size());
        RegistryUsage total = store.registryUsage();
        assertThat(total.images()).as("a manifest in two repositories is stored twice").isEqualTo(2);
        assertThat(total.manifestBytes()).isEqualTo(one.size() + two.size());
    }

    @Test
    void aDeletedTagNoLongerCounts() {
        store.putManifest(repo, image("one", List.of()), tag("v1"), at(1));
        store.deleteTag(repo, tag("v1"));
        assertThat(usage(repo)).extracting(RepositoryUsage::images, RepositoryUsage::tags).containsExactly(1L, 0L);
    }

    @Test
    void repositoriesArePagedByNameWithinTheAccount() {
        long third = store.createRepository(ACCOUNT, name("a/first"), T0).id();
        store.createRepository(OTHER_ACCOUNT, name("b/elsewhere"), T0);
        store.addBlob(third, MINE, 5, at(1));

        List<RepositoryUsage> first = store.repositoryUsages(ACCOUNT, null, 2);
        assertThat(first).extracting(RepositoryUsage::name).containsExactly(name("a/first"), name("library/app"));
        assertThat(first.getFirst()).isEqualTo(usage(third)).extracting(RepositoryUsage::blobBytes).isEqualTo(5L);
        assertThat(store.repositoryUsages(ACCOUNT, name("library/app"), 2)).extracting(RepositoryUsage::name)
                .containsExactly(name("library/other"));
        assertThat(store.repositoryUsages(ACCOUNT, name("library/other"), 2)).isEmpty();
        assertThat(store.repositoryUsages(OTHER_ACCOUNT, null, 10)).extracting(RepositoryUsage::name)
                .containsExactly(name("b/elsewhere"));
        assertThat(store.registryUsage().repositories()).as("every account").isEqualTo(4);
    }
}
