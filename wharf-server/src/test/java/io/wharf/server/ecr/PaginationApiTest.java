package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrFixtures.assertConstraint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.oci.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesResponse;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ListImagesResponse;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.TagStatus;

/**
 * Pagination of DescribeRepositories, ListImages and DescribeImages: default page 100, maxResults
 * 1–1000, an opaque nextToken omitted on the last page, bad tokens refused, and paging members refused
 * beside explicit id lists. One registry of its own holds exactly 101 repositories, one of them with
 * 101 images (one tag each) plus an untagged one.
 */
class PaginationApiTest {
    private static final String REPO = "paged/images";
    private static TestRegistry r;
    private static EcrClient ecr;
    private static List<String> digests;
    private static String untagged;

    @BeforeAll
    static void start() throws Exception {
        r = new TestRegistry();
        ecr = EcrTest.client(r);
        digests = EcrFixtures.seedImages(r, ecr, REPO, 101);
        String tagged = ecr.batchGetImage(b -> b.repositoryName(REPO).imageIds(ImageIdentifier.builder().imageTag("t000").build()))
                .images().getFirst().imageManifest();
        String other = tagged.replace("\"n\":\"0\"", "\"n\":\"untagged\"");
        untagged = ecr.putImage(b -> b.repositoryName(REPO).imageManifest(other)).image().imageId().imageDigest();
        for (int i = 0; i < 100; i++) {
            String name = "paged/r%03d".formatted(i);
            ecr.createRepository(b -> b.repositoryName(name));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        ecr.close();
        r.close();
    }

    /** Every page with the given page size; asserts nextToken is absent exactly on the last page. */
    private static <P> List<P> pages(Function<String, P> call, Function<P, String> token) {
        List<P> pages = new ArrayList<>();
        String next = null;
        do {
            P page = call.apply(next);
            pages.add(page);
            next = token.apply(page);
        } while (next != null && pages.size() < 1000);
        assertThat(next).isNull();
        return pages;
    }

    private static String token(String cursor) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.getBytes(StandardCharsets.UTF_8));
    }

    // ---- DescribeRepositories

    @Test
    void describeRepositoriesDefaultsToPagesOf100() {
        DescribeRepositoriesResponse first = ecr.describeRepositories(b -> { });
        assertThat(first.repositories()).hasSize(100);
        assertThat(first.nextToken()).isNotNull().doesNotContain("paged/");
        DescribeRepositoriesResponse second = ecr.describeRepositories(b -> b.nextToken(first.nextToken()));
        assertThat(second.repositories()).hasSize(1);
        assertThat(second.nextToken()).isNull();
        List<String> names = new ArrayList<>(first.repositories().stream().map(Repository::repositoryName).toList());
        names.add(second.repositories().getFirst().repositoryName());
        assertThat(names).doesNotHaveDuplicates().isSorted().hasSize(101).contains(REPO);
        assertThat(ecr.describeRepositories(b -> b.maxResults(1000)).nextToken()).isNull();
        assertThat(ecr.describeRepositories(b -> b.maxResults(101)).nextToken()).as("exactly full: no empty last page").isNull();
    }

    @Test
    void describeRepositoriesPagesByMaxResults() {
        List<DescribeRepositoriesResponse> pages = pages(t -> ecr.describeRepositories(b -> b.maxResults(10).nextToken(t)),
                DescribeRepositoriesResponse::nextToken);
        assertThat(pages).hasSize(11);
        assertThat(pages.subList(0, 10)).allSatisfy(p -> assertThat(p.repositories()).hasSize(10));
        assertThat(pages.getLast().repositories()).hasSize(1);
        assertThat(pages.stream().flatMap(p -> p.repositories().stream()).map(Repository::repositoryName).toList())
                .doesNotHaveDuplicates().hasSize(101);
        assertThat(ecr.describeRepositoriesPaginator(b -> b.maxResults(1)).repositories()).hasSize(101);
    }

    @Test
    void describeRepositoriesRefusesBadPagingMembers() {
        for (int bad : new int[] {0, -1, 1001}) {
            assertConstraint("maxResults", () -> ecr.describeRepositories(b -> b.maxResults(bad)));
        }
        assertEcrInvalid("nextToken and maxResults cannot be specified with repositoryNames",
                () -> ecr.describeRepositories(b -> b.repositoryNames(REPO).maxResults(5)));
        String token = ecr.describeRepositories(b -> b.maxResults(1)).nextToken();
        assertEcrInvalid("nextToken and maxResults cannot be specified with repositoryNames",
                () -> ecr.describeRepositories(b -> b.repositoryNames(REPO).nextToken(token)));
        assertConstraint("repositoryNames", () -> ecr.describeRepositories(b -> b.repositoryNames(List.of())));
        List<String> many = EcrFixtures.listOf(101, i -> "paged/r%03d".formatted(i % 100));
        assertConstraint("repositoryNames", () -> ecr.describeRepositories(b -> b.repositoryNames(many)));
        assertThat(ecr.describeRepositories(b -> b.repositoryNames(many.subList(0, 100))).repositories()).hasSize(100);
        for (String bad : badTokens()) {
            assertConstraint("nextToken", () -> ecr.describeRepositories(b -> b.nextToken(bad)));
        }
        String imagesToken = ecr.describeImages(b -> b.repositoryName(REPO).maxResults(1)).nextToken();
        assertConstraint("nextToken", () -> ecr.describeRepositories(b -> b.nextToken(imagesToken)));
    }

    /** A token continues only the listing that issued it: same operation, registry, repository and filter. */
    @Test
    void aTokenReplayedOnAnotherListingIsInvalid() throws Exception {
        String other = "paged/r000";
        String list = ecr.listImages(b -> b.repositoryName(REPO).maxResults(1)).nextToken();
        String describe = ecr.describeImages(b -> b.repositoryName(REPO).maxResults(1)).nextToken();
        String tagged = ecr.listImages(b -> b.repositoryName(REPO).maxResults(1)
                .filter(f -> f.tagStatus(TagStatus.TAGGED))).nextToken();
        String repos = ecr.describeRepositories(b -> b.maxResults(1)).nextToken();
        assertConstraint("nextToken", () -> ecr.listImages(b -> b.repositoryName(other).nextToken(list)));
        assertConstraint("nextToken", () -> ecr.describeImages(b -> b.repositoryName(other).nextToken(describe)));
        assertConstraint("nextToken", () -> ecr.describeImages(b -> b.repositoryName(REPO).nextToken(list)));
        assertConstraint("nextToken", () -> ecr.listImages(b -> b.repositoryName(REPO).nextToken(describe)));
        assertConstraint("nextToken", () -> ecr.listImages(b -> b.repositoryName(REPO).nextToken(tagged)));
        assertConstraint("nextToken", () -> ecr.listImages(b -> b.repositoryName(REPO).nextToken(repos)));
        assertConstraint("nextToken", () -> ecr.describeRepositories(b -> b.registryId("111122223333").nextToken(repos)));
        assertThat(ecr.listImages(b -> b.repositoryName(REPO).maxResults(1).nextToken(list)).imageIds()).hasSize(1);
        assertThat(ecr.listImages(b -> b.repositoryName(REPO).maxResults(1).nextToken(tagged)
                .filter(f -> f.tagStatus(TagStatus.TAGGED))).imageIds()).hasSize(1);
    }

    private static List<String> badTokens() {
        return List.of("garbage!", token("v0:paged/r001"), token("w1:paged/r001"),
                PageToken.encode(PageToken.scope("DescribeRepositories", TestRegistry.ACCOUNT), "Not/A/Name"), "w2:paged/r001");
    }

    private static void assertEcrInvalid(String message, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EcrException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException");
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
        });
    }

    // ---- ListImages

    @Test
    void listImagesDefaultsToPagesOf100() {
        ListImagesResponse first = ecr.listImages(b -> b.repositoryName(REPO));
        assertThat(first.imageIds()).hasSize(100);
        assertThat(first.nextToken()).isNotNull();
        ListImagesResponse second = ecr.listImages(b -> b.repositoryName(REPO).nextToken(first.nextToken()));
        assertThat(second.imageIds()).hasSize(2);
        assertThat(second.nextToken()).isNull();
        List<ImageIdentifier> all = new ArrayList<>(first.imageIds());
        all.addAll(second.imageIds());
        assertThat(all).doesNotHaveDuplicates();
        assertThat(all.stream().map(ImageIdentifier::imageDigest).toList())
                .containsExactlyInAnyOrderElementsOf(concat(digests, untagged));
        assertThat(ecr.listImages(b -> b.repositoryName(REPO).maxResults(1000)).nextToken()).isNull();
        assertThat(ecr.listImages(b -> b.repositoryName(REPO).maxResults(102)).nextToken()).isNull();
    }

    @Test
    void listImagesPagesByMaxResultsAndFilter() {
        List<ListImagesResponse> pages = pages(t -> ecr.listImages(b -> b.repositoryName(REPO).maxResults(7).nextToken(t)),
                ListImagesResponse::nextToken);
        assertThat(pages).hasSize(15);
        assertThat(pages.getLast().imageIds()).hasSize(102 - 14 * 7);
        List<ImageIdentifier> paged = pages.stream().flatMap(p -> p.imageIds().stream()).toList();
        assertThat(paged).containsExactlyElementsOf(ecr.listImages(b -> b.repositoryName(REPO).maxResults(1000)).imageIds());

        List<ListImagesResponse> tagged = pages(t -> ecr.listImages(b -> b.repositoryName(REPO).maxResults(50)
                .filter(f -> f.tagStatus(TagStatus.TAGGED)).nextToken(t)), ListImagesResponse::nextToken);
        assertThat(tagged).hasSize(3);
        assertThat(tagged.stream().flatMap(p -> p.imageIds().stream()).toList()).hasSize(101)
                .allSatisfy(id -> assertThat(id.imageTag()).isNotNull());
        var untaggedOnly = ecr.listImages(b -> b.repositoryName(REPO).maxResults(1).filter(f -> f.tagStatus(TagStatus.UNTAGGED)));
        assertThat(untaggedOnly.imageIds()).containsExactly(ImageIdentifier.builder().imageDigest(untagged).build());
        assertThat(untaggedOnly.nextToken()).isNull();
        assertThat(ecr.listImagesPaginator(b -> b.repositoryName(REPO).maxResults(1)).imageIds()).hasSize(102);
    }

    @Test
    void listImagesRefusesBadPagingMembers() {
        for (int bad : new int[] {0, -1, 1001}) {
            assertConstraint("maxResults", () -> ecr.listImages(b -> b.repositoryName(REPO).maxResults(bad)));
        }
        assertConstraint("filter.tagStatus", () -> ecr.listImages(b -> b.repositoryName(REPO).filter(f -> f.tagStatus("SOME"))));
        for (String bad : badTokens()) {
            assertConstraint("nextToken", () -> ecr.listImages(b -> b.repositoryName(REPO).nextToken(bad)));
        }
        assertConstraint("nextToken", () -> ecr.listImages(b -> b.repositoryName(REPO).nextToken(
                PageToken.encode(PageToken.scope("ListImages", TestRegistry.ACCOUNT, REPO, "ANY"), "sha256:zz\nt1"))));
        String reposToken = ecr.describeRepositories(b -> b.maxResults(1)).nextToken();
        assertConstraint("nextToken", () -> ecr.listImages(b -> b.repositoryName(REPO).nextToken(reposToken)));
        String imagesToken = ecr.describeImages(b -> b.repositoryName(REPO).maxResults(1)).nextToken();
        assertConstraint("nextToken", () -> ecr.listImages(b -> b.repositoryName(REPO).nextToken(imagesToken)));
    }

    // ---- DescribeImages

    @Test
    void describeImagesDefaultsToPagesOf100() {
        DescribeImagesResponse first = ecr.describeImages(b -> b.repositoryName(REPO));
        assertThat(first.imageDetails()).hasSize(100);
        assertThat(first.nextToken()).isNotNull();
        DescribeImagesResponse second = ecr.describeImages(b -> b.repositoryName(REPO).nextToken(first.nextToken()));
        assertThat(second.imageDetails()).hasSize(2);
        assertThat(second.nextToken()).isNull();
        List<String> all = new ArrayList<>(first.imageDetails().stream().map(ImageDetail::imageDigest).toList());
        all.addAll(second.imageDetails().stream().map(ImageDetail::imageDigest).toList());
        assertThat(all).containsExactlyInAnyOrderElementsOf(concat(digests, untagged));
        assertThat(ecr.describeImages(b -> b.repositoryName(REPO).maxResults(1000)).nextToken()).isNull();
        assertThat(ecr.describeImages(b -> b.repositoryName(REPO).maxResults(102)).nextToken()).isNull();
    }

    @Test
    void describeImagesPagesByMaxResultsAndFilter() {
        List<DescribeImagesResponse> pages = pages(t -> ecr.describeImages(b -> b.repositoryName(REPO).maxResults(10).nextToken(t)),
                DescribeImagesResponse::nextToken);
        assertThat(pages).hasSize(11);
        assertThat(pages.getLast().imageDetails()).hasSize(2);
        assertThat(pages.stream().flatMap(p -> p.imageDetails().stream()).map(ImageDetail::imageDigest).toList())
                .doesNotHaveDuplicates().hasSize(102);
        List<DescribeImagesResponse> tagged = pages(t -> ecr.describeImages(b -> b.repositoryName(REPO).maxResults(25)
                .filter(f -> f.tagStatus(TagStatus.TAGGED)).nextToken(t)), DescribeImagesResponse::nextToken);
        assertThat(tagged.stream().flatMap(p -> p.imageDetails().stream()).toList()).hasSize(101)
                .allSatisfy(d -> assertThat(d.imageTags()).hasSize(1));
        var untaggedOnly = ecr.describeImages(b -> b.repositoryName(REPO).filter(f -> f.tagStatus(TagStatus.UNTAGGED)));
        assertThat(untaggedOnly.imageDetails()).singleElement().satisfies(d -> assertThat(d.imageDigest()).isEqualTo(untagged));
        assertThat(untaggedOnly.nextToken()).isNull();
        assertThat(ecr.describeImagesPaginator(b -> b.repositoryName(REPO).maxResults(3)).imageDetails()).hasSize(102);
    }

    @Test
    void describeImagesRefusesBadPagingMembersAndPagingBesideIds() {
        for (int bad : new int[] {0, -1, 1001}) {
            assertConstraint("maxResults", () -> ecr.describeImages(b -> b.repositoryName(REPO).maxResults(bad)));
        }
        ImageIdentifier one = ImageIdentifier.builder().imageTag("t000").build();
        assertEcrInvalid("nextToken and maxResults cannot be specified with imageIds",
                () -> ecr.describeImages(b -> b.repositoryName(REPO).imageIds(one).maxResults(1)));
        String token = ecr.describeImages(b -> b.repositoryName(REPO).maxResults(1)).nextToken();
        assertEcrInvalid("nextToken and maxResults cannot be specified with imageIds",
                () -> ecr.describeImages(b -> b.repositoryName(REPO).imageIds(one).nextToken(token)));
        var byIds = ecr.describeImages(b -> b.repositoryName(REPO).imageIds(EcrFixtures.tagIds(100)));
        assertThat(byIds.imageDetails()).hasSize(100);
        assertThat(byIds.nextToken()).isNull();
        assertConstraint("filter.tagStatus", () -> ecr.describeImages(b -> b.repositoryName(REPO).filter(f -> f.tagStatus("SOME"))));
        for (String bad : badTokens()) {
            assertConstraint("nextToken", () -> ecr.describeImages(b -> b.repositoryName(REPO).nextToken(bad)));
        }
        String listToken = ecr.listImages(b -> b.repositoryName(REPO).maxResults(1)).nextToken();
        assertConstraint("nextToken", () -> ecr.describeImages(b -> b.repositoryName(REPO).nextToken(listToken)));
    }

    private static List<String> concat(List<String> list, String one) {
        List<String> out = new ArrayList<>(list);
        out.add(one);
        return out;
    }
}
