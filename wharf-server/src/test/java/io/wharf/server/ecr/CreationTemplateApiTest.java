package io.wharf.server.ecr;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.service.Quotas;
import io.wharf.core.service.RegistryLimits;
import io.wharf.server.oci.Fixtures;
import io.wharf.server.oci.TestRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EncryptionType;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;
import software.amazon.awssdk.services.ecr.model.RCTAppliedFor;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryCreationTemplate;
import software.amazon.awssdk.services.ecr.model.Tag;

/** The four creation-template operations through the AWS SDK, and templates applied by a push that creates. */
class CreationTemplateApiTest extends EcrTest {
    static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"pull\",\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"ecr:BatchGetImage\"]}]}";
    static final String LIFECYCLE = "{\"rules\":[{\"rulePriority\":1,\"description\":\"expire old untagged\","
            + "\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\","
            + "\"countNumber\":7},\"action\":{\"type\":\"expire\"}}]}";

    @Test
    void createDescribeUpdateDeleteRoundTrip() {
        RepositoryCreationTemplate created = ecr.createRepositoryCreationTemplate(b -> b.prefix("crud")
                .description("team images").appliedFor(RCTAppliedFor.REPLICATION, RCTAppliedFor.PULL_THROUGH_CACHE)
                .imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(ImageTagMutabilityExclusionFilter.builder().filterType("WILDCARD")
                        .filter("latest").build())
                .resourceTags(Tag.builder().key("team").value("a").build())
                .encryptionConfiguration(e -> e.encryptionType(EncryptionType.KMS))
                .repositoryPolicy(POLICY).lifecyclePolicy(LIFECYCLE)).repositoryCreationTemplate();
        assertThat(created.prefix()).isEqualTo("crud");
        assertThat(created.appliedFor()).containsExactlyInAnyOrder(RCTAppliedFor.REPLICATION, RCTAppliedFor.PULL_THROUGH_CACHE);
        assertThat(created.createdAt()).isNotNull().isEqualTo(created.updatedAt());

        RepositoryCreationTemplate read = ecr.describeRepositoryCreationTemplates(b -> b.prefixes("crud", "absent"))
                .repositoryCreationTemplates().getFirst();
        assertThat(read).isEqualTo(created);
        assertThat(read.encryptionConfiguration().encryptionType()).isEqualTo(EncryptionType.KMS);
        assertThat(read.resourceTags()).containsExactly(Tag.builder().key("team").value("a").build());
        assertThat(read.imageTagMutabilityExclusionFilters()).hasSize(1);

        RepositoryCreationTemplate updated = ecr.updateRepositoryCreationTemplate(b -> b.prefix("crud")
                .description("changed").lifecyclePolicy("")).repositoryCreationTemplate();
        assertThat(updated.description()).isEqualTo("changed");
        assertThat(updated.lifecyclePolicy()).as("an empty text clears it").isNull();
        assertThat(updated.repositoryPolicy()).as("kept: not mentioned").isEqualTo(POLICY);
        assertThat(updated.createdAt()).isEqualTo(created.createdAt());

        assertThat(ecr.deleteRepositoryCreationTemplate(b -> b.prefix("crud")).repositoryCreationTemplate().description())
                .isEqualTo("changed");
        assertThat(ecr.describeRepositoryCreationTemplates(b -> b.prefixes("crud")).repositoryCreationTemplates()).isEmpty();
    }

    @Test
    void errorsHaveEcrShapes() {
        ecr.createRepositoryCreationTemplate(b -> b.prefix("dup").appliedFor(RCTAppliedFor.REPLICATION));
        assertEcrError("TemplateAlreadyExistsException",
                () -> ecr.createRepositoryCreationTemplate(b -> b.prefix("dup").appliedFor(RCTAppliedFor.REPLICATION)));
        assertEcrError("TemplateNotFoundException", () -> ecr.deleteRepositoryCreationTemplate(b -> b.prefix("nope")));
        assertEcrError("TemplateNotFoundException",
                () -> ecr.updateRepositoryCreationTemplate(b -> b.prefix("nope").description("x")));
        assertEcrError("InvalidParameterException",
                () -> ecr.createRepositoryCreationTemplate(b -> b.prefix("Bad Prefix").appliedFor(RCTAppliedFor.REPLICATION)));
        assertEcrError("InvalidParameterException",
                () -> ecr.createRepositoryCreationTemplate(b -> b.prefix("lc").appliedFor(RCTAppliedFor.REPLICATION)
                        .lifecyclePolicy("{\"rules\":[{\"rulePriority\":1,\"selection\":{},\"action\":{\"type\":\"expire\"}}],"
                                + "\"padding\":\"" + "x".repeat(100) + "\"}")));
        assertEcrError("InvalidParameterException",
                () -> ecr.createRepositoryCreationTemplate(b -> b.prefix("pol").appliedFor(RCTAppliedFor.REPLICATION)
                        .repositoryPolicy("{not json")));
        assertEcrError("InvalidParameterException",
                () -> ecr.createRepositoryCreationTemplate(b -> b.prefix("noreason")));
        assertThat(ecr.describeRepositoryCreationTemplates(b -> b.prefixes("Bad Prefix", "lc", "pol", "noreason"))
                .repositoryCreationTemplates()).isEmpty();
    }

    @Test
    void describePagesThroughAllTemplates() throws Exception {
        try (TestRegistry own = new TestRegistry(); EcrClient client = client(own)) {
            for (String p : List.of("p1", "p2", "p3", "ROOT", "p4")) {
                client.createRepositoryCreationTemplate(b -> b.prefix(p).appliedFor(RCTAppliedFor.REPLICATION));
            }
            List<String> seen = client.describeRepositoryCreationTemplatesPaginator(b -> b.maxResults(2))
                    .repositoryCreationTemplates().stream().map(RepositoryCreationTemplate::prefix).toList();
            assertThat(seen).containsExactly("ROOT", "p1", "p2", "p3", "p4");
        }
    }

    @Test
    void withCreateOnPushOffACreateOnPushTemplateLetsDockerPushCreateTheRepositoryAsTheTemplateSays() throws Exception {
        try (TestRegistry strict = new TestRegistry(RegistryLimits.defaults(), Quotas.defaults(), false);
             EcrClient client = client(strict)) {
            client.createRepositoryCreationTemplate(b -> b.prefix("auto").appliedFor(RCTAppliedFor.CREATE_ON_PUSH)
                    .imageTagMutability(ImageTagMutability.IMMUTABLE).resourceTags(Tag.builder().key("k").value("v").build())
                    .repositoryPolicy(POLICY).lifecyclePolicy(LIFECYCLE));
            client.createRepositoryCreationTemplate(b -> b.prefix("ROOT").appliedFor(RCTAppliedFor.REPLICATION));

            Fixtures.pushImage(strict, "auto/app", "v1");
            Repository repo = client.describeRepositories(b -> b.repositoryNames("auto/app")).repositories().getFirst();
            assertThat(repo.imageTagMutability()).isEqualTo(ImageTagMutability.IMMUTABLE);
            assertThat(client.listTagsForResource(b -> b.resourceArn(repo.repositoryArn())).tags())
                    .containsExactly(Tag.builder().key("k").value("v").build());
            assertThat(client.getRepositoryPolicy(b -> b.repositoryName("auto/app")).policyText()).isEqualTo(POLICY);
            assertThat(client.getLifecyclePolicy(b -> b.repositoryName("auto/app")).lifecyclePolicyText()).isEqualTo(LIFECYCLE);

            var refused = strict.send("POST", "/v2/manual/app/blobs/uploads/", null);
            assertThat(refused.statusCode()).as("only a REPLICATION template covers it").isEqualTo(404);
            assertThat(Fixtures.body(refused)).contains("NAME_UNKNOWN");
        }
    }
}
