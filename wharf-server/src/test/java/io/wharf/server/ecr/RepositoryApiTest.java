package io.wharf.server.ecr;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.oci.Fixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesResponse;
import software.amazon.awssdk.services.ecr.model.EncryptionType;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilterType;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.Tag;

/** CreateRepository, DescribeRepositories, DeleteRepository, PutImageTagMutability, PutImageScanningConfiguration. */
class RepositoryApiTest extends EcrTest {

    @Test
    void createFillsEveryDefaultAndPointsAtThisHost() {
        Instant before = Instant.now().minusSeconds(2);
        Repository repo = ecr.createRepository(b -> b.repositoryName("team/app")).repository();
        assertThat(repo.repositoryName()).isEqualTo("team/app");
        assertThat(repo.registryId()).isEqualTo(ACCOUNT);
        assertThat(repo.repositoryArn()).isEqualTo("arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/team/app");
        assertThat(repo.repositoryUri()).isEqualTo("127.0.0.1:" + r.port + "/team/app");
        assertThat(repo.createdAt()).isAfter(before).isBefore(Instant.now().plusSeconds(2));
        assertThat(repo.imageTagMutability()).isEqualTo(ImageTagMutability.MUTABLE);
        assertThat(repo.imageScanningConfiguration().scanOnPush()).isFalse();
        assertThat(repo.encryptionConfiguration().encryptionType()).isEqualTo(EncryptionType.AES256);
        assertThat(repo.encryptionConfiguration().kmsKey()).isNull();
        assertThat(ecr.describeRepositories(b -> b.repositoryNames("team/app")).repositories()).containsExactly(repo);
    }

    @Test
    void createStoresSettingsAndTags() {
        Repository repo = ecr.createRepository(b -> b.repositoryName("settings/app")
                .imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(f -> f.filterType(ImageTagMutabilityExclusionFilterType.WILDCARD).filter("dev-*"))
                .imageScanningConfiguration(s -> s.scanOnPush(true))
                .encryptionConfiguration(e -> e.encryptionType(EncryptionType.KMS))
                .tags(Tag.builder().key("team").value("a").build())).repository();
        assertThat(repo.imageTagMutability()).isEqualTo(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION);
        assertThat(repo.imageTagMutabilityExclusionFilters()).singleElement().satisfies(f -> assertThat(f.filter()).isEqualTo("dev-*"));
        assertThat(repo.imageScanningConfiguration().scanOnPush()).isTrue();
        assertThat(repo.encryptionConfiguration().encryptionType()).isEqualTo(EncryptionType.KMS);
        assertThat(repo.encryptionConfiguration().kmsKey()).isEqualTo("arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/aws/ecr");
        Repository read = ecr.describeRepositories(b -> b.repositoryNames("settings/app")).repositories().getFirst();
        assertThat(read).isEqualTo(repo);
    }

    @Test
    void createRefusesTakenNamesBadFiltersAndReservedTags() {
        ecr.createRepository(b -> b.repositoryName("taken"));
        assertEcrError("RepositoryAlreadyExistsException", () -> ecr.createRepository(b -> b.repositoryName("taken")));
        assertEcrError("InvalidParameterException", () -> ecr.createRepository(b -> b.repositoryName("filters")
                .imageTagMutability(ImageTagMutability.MUTABLE)
                .imageTagMutabilityExclusionFilters(f -> f.filterType("WILDCARD").filter("v*"))));
        assertEcrError("InvalidParameterException", () -> ecr.createRepository(b -> b.repositoryName("filters")
                .imageTagMutability(ImageTagMutability.MUTABLE_WITH_EXCLUSION)));
        assertEcrError("InvalidParameterException", () -> ecr.createRepository(b -> b.repositoryName("filters")
                .imageTagMutability(ImageTagMutability.MUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(f -> f.filterType("WILDCARD").filter("bad/filter"))));
        assertEcrError("InvalidTagParameterException", () -> ecr.createRepository(b -> b.repositoryName("tagged")
                .tags(Tag.builder().key("aws:owner").value("x").build())));
        List<Tag> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add(Tag.builder().key("k" + i).value("v").build());
        }
        assertEcrError("TooManyTagsException", () -> ecr.createRepository(b -> b.repositoryName("tagged").tags(many)));
        assertEcrError("RepositoryNotFoundException", () -> ecr.describeRepositories(b -> b.repositoryNames("filters")));
    }

    @Test
    void describeWithANamedMissingRepositoryFailsTheWholeCall() {
        ecr.createRepository(b -> b.repositoryName("present"));
        assertEcrError("RepositoryNotFoundException",
                () -> ecr.describeRepositories(b -> b.repositoryNames("present", "absent")));
    }

    @Test
    void describePagesWithAnOpaqueTokenOmittedOnTheLastPage() throws Exception {
        try (var own = new io.wharf.server.oci.TestRegistry(); var client = client(own)) {
            for (int i = 0; i < 7; i++) {
                String name = "page/r" + i;
                client.createRepository(b -> b.repositoryName(name));
            }
            List<String> names = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                String t = token;
                DescribeRepositoriesResponse page = client.describeRepositories(b -> b.maxResults(3).nextToken(t));
                page.repositories().forEach(repo -> names.add(repo.repositoryName()));
                token = page.nextToken();
                pages++;
            } while (token != null);
            assertThat(pages).isEqualTo(3);
            assertThat(names).containsExactly("page/r0", "page/r1", "page/r2", "page/r3", "page/r4", "page/r5", "page/r6");
            assertThat(client.describeRepositoriesPaginator(b -> b.maxResults(2)).repositories()).hasSize(7);
            assertThat(client.describeRepositories(b -> b.maxResults(7)).nextToken()).isNull();
        }
    }

    @Test
    void deleteNeedsForceWhileImagesRemainAndReturnsTheRepository() throws Exception {
        ecr.createRepository(b -> b.repositoryName("doomed"));
        Fixtures.pushImage(r, "doomed", "v1");
        assertEcrError("RepositoryNotEmptyException", () -> ecr.deleteRepository(b -> b.repositoryName("doomed")));
        Repository deleted = ecr.deleteRepository(b -> b.repositoryName("doomed").force(true)).repository();
        assertThat(deleted.repositoryName()).isEqualTo("doomed");
        assertEcrError("RepositoryNotFoundException", () -> ecr.describeRepositories(b -> b.repositoryNames("doomed")));
        assertEcrError("RepositoryNotFoundException", () -> ecr.deleteRepository(b -> b.repositoryName("doomed")));
        assertThat(r.get("/v2/doomed/tags/list").statusCode()).isEqualTo(404);
        ecr.createRepository(b -> b.repositoryName("empty-one"));
        assertThat(ecr.deleteRepository(b -> b.repositoryName("empty-one")).repository().repositoryName()).isEqualTo("empty-one");
    }

    @Test
    void tagMutabilityAndScanningCanBeChanged() {
        ecr.createRepository(b -> b.repositoryName("mutable"));
        var mut = ecr.putImageTagMutability(b -> b.repositoryName("mutable")
                .imageTagMutability(ImageTagMutability.MUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(f -> f.filterType("WILDCARD").filter("v*"),
                        f -> f.filterType("WILDCARD").filter("release-*")));
        assertThat(mut.imageTagMutability()).isEqualTo(ImageTagMutability.MUTABLE_WITH_EXCLUSION);
        assertThat(mut.imageTagMutabilityExclusionFilters()).hasSize(2);
        assertThat(mut.registryId()).isEqualTo(ACCOUNT);
        var scan = ecr.putImageScanningConfiguration(b -> b.repositoryName("mutable")
                .imageScanningConfiguration(s -> s.scanOnPush(true)));
        assertThat(scan.imageScanningConfiguration().scanOnPush()).isTrue();
        Repository read = ecr.describeRepositories(b -> b.repositoryNames("mutable")).repositories().getFirst();
        assertThat(read.imageTagMutability()).isEqualTo(ImageTagMutability.MUTABLE_WITH_EXCLUSION);
        assertThat(read.imageScanningConfiguration().scanOnPush()).isTrue();
        ecr.putImageTagMutability(b -> b.repositoryName("mutable").imageTagMutability(ImageTagMutability.IMMUTABLE));
        assertThat(ecr.describeRepositories(b -> b.repositoryNames("mutable")).repositories().getFirst()
                .imageTagMutabilityExclusionFilters()).isEmpty();
        assertEcrError("RepositoryNotFoundException", () -> ecr.putImageTagMutability(b -> b.repositoryName("nope")
                .imageTagMutability(ImageTagMutability.IMMUTABLE)));
        assertEcrError("InvalidParameterException", () -> ecr.putImageTagMutability(b -> b.repositoryName("mutable")));
        assertEcrError("RepositoryNotFoundException", () -> ecr.putImageScanningConfiguration(b -> b.repositoryName("nope")
                .imageScanningConfiguration(s -> s.scanOnPush(true))));
    }

    @Test
    void registryIdDefaultsToTheCallersAccountAndMayNameIt() {
        ecr.createRepository(b -> b.repositoryName("explicit/registry").registryId(ACCOUNT));
        assertThat(ecr.describeRepositories(b -> b.registryId(ACCOUNT).repositoryNames("explicit/registry"))
                .repositories()).hasSize(1);
    }

    @Test
    void repositoriesPushedOverTheRegistryApiAreDescribed() throws Exception {
        Fixtures.pushImage(r, "pushed/implicitly", "v1");
        Repository repo = ecr.describeRepositories(b -> b.repositoryNames("pushed/implicitly")).repositories().getFirst();
        assertThat(repo.imageTagMutability()).isEqualTo(ImageTagMutability.MUTABLE);
    }
}
