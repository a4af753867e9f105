package io.wharf.server.ecr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.Tag;

/** Repository and registry policies, lifecycle policies and resource tags. */
class PolicyApiTest extends EcrTest {
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"AllowPull\",\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"
            + "\"Action\":[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"]}]}";
    private static final String LIFECYCLE = "{\"rules\":[{\"rulePriority\":1,\"description\":\"keep ten\",\"selection\":"
            + "{\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"v\"],\"countType\":\"imageCountMoreThan\",\"countNumber\":10},"
            + "\"action\":{\"type\":\"expire\"}}]}";

    @Test
    void repositoryPoliciesAreValidatedStoredAndDeleted() {
        ecr.createRepository(b -> b.repositoryName("pol/app"));
        assertEcrError("RepositoryPolicyNotFoundException", () -> ecr.getRepositoryPolicy(b -> b.repositoryName("pol/app")));
        var set = ecr.setRepositoryPolicy(b -> b.repositoryName("pol/app").policyText(POLICY));
        assertThat(set.policyText()).isEqualTo(POLICY);
        assertThat(set.registryId()).isEqualTo(ACCOUNT);
        assertThat(ecr.getRepositoryPolicy(b -> b.repositoryName("pol/app")).policyText()).isEqualTo(POLICY);
        assertThat(ecr.deleteRepositoryPolicy(b -> b.repositoryName("pol/app")).policyText()).isEqualTo(POLICY);
        assertEcrError("RepositoryPolicyNotFoundException", () -> ecr.deleteRepositoryPolicy(b -> b.repositoryName("pol/app")));
        assertThatThrownBy(() -> ecr.setRepositoryPolicy(b -> b.repositoryName("pol/app").policyText("{\"Statement\":5}")))
                .isInstanceOfSatisfying(EcrException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("Invalid repository policy provided");
                });
        assertEcrError("RepositoryNotFoundException", () -> ecr.setRepositoryPolicy(b -> b.repositoryName("pol/none").policyText(POLICY)));
        assertEcrError("InvalidParameterException", () -> ecr.setRepositoryPolicy(b -> b.repositoryName("pol/app")
                .policyText(POLICY + " ".repeat(10_240))));
    }

    @Test
    void registryPoliciesAreValidatedStoredAndDeleted() {
        assertEcrError("RegistryPolicyNotFoundException", () -> ecr.getRegistryPolicy(b -> { }));
        String policy = POLICY.replace("ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer", "ecr:ReplicateImage")
                .replace("}]}", ",\"Resource\":\"arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/*\"}]}");
        assertThat(ecr.putRegistryPolicy(b -> b.policyText(policy)).policyText()).isEqualTo(policy);
        assertThat(ecr.getRegistryPolicy(b -> { }).policyText()).isEqualTo(policy);
        assertThat(ecr.getRegistryPolicy(b -> { }).registryId()).isEqualTo(ACCOUNT);
        assertThat(ecr.deleteRegistryPolicy(b -> { }).policyText()).isEqualTo(policy);
        assertEcrError("RegistryPolicyNotFoundException", () -> ecr.deleteRegistryPolicy(b -> { }));
        assertEcrError("InvalidParameterException", () -> ecr.putRegistryPolicy(b -> b.policyText("not json")));
    }

    @Test
    void lifecyclePoliciesAreValidatedAgainstTheGrammar() {
        ecr.createRepository(b -> b.repositoryName("pol/lifecycle"));
        assertEcrError("LifecyclePolicyNotFoundException", () -> ecr.getLifecyclePolicy(b -> b.repositoryName("pol/lifecycle")));
        var put = ecr.putLifecyclePolicy(b -> b.repositoryName("pol/lifecycle").lifecyclePolicyText(LIFECYCLE));
        assertThat(put.lifecyclePolicyText()).isEqualTo(LIFECYCLE);
        var got = ecr.getLifecyclePolicy(b -> b.repositoryName("pol/lifecycle"));
        assertThat(got.lifecyclePolicyText()).isEqualTo(LIFECYCLE);
        assertThat(got.lastEvaluatedAt()).isNull();
        String bad = LIFECYCLE.replace("\"expire\"", "\"explode\"");
        assertThatThrownBy(() -> ecr.putLifecyclePolicy(b -> b.repositoryName("pol/lifecycle").lifecyclePolicyText(bad)))
                .isInstanceOfSatisfying(EcrException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("Lifecycle policy validation failure");
                });
        assertEcrError("InvalidParameterException", () -> ecr.putLifecyclePolicy(b -> b.repositoryName("pol/lifecycle")
                .lifecyclePolicyText("{\"rules\":[]}")));
        assertThat(ecr.deleteLifecyclePolicy(b -> b.repositoryName("pol/lifecycle")).lifecyclePolicyText()).isEqualTo(LIFECYCLE);
        assertEcrError("LifecyclePolicyNotFoundException", () -> ecr.deleteLifecyclePolicy(b -> b.repositoryName("pol/lifecycle")));
    }

    @Test
    void resourceTagsMergeAndAreListedByArn() {
        String arn = ecr.createRepository(b -> b.repositoryName("pol/tags").tags(Tag.builder().key("team").value("a").build()))
                .repository().repositoryArn();
        ecr.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("env").value("dev").build(),
                Tag.builder().key("team").value("b").build()));
        assertThat(ecr.listTagsForResource(b -> b.resourceArn(arn)).tags()).containsExactly(
                Tag.builder().key("env").value("dev").build(), Tag.builder().key("team").value("b").build());
        ecr.untagResource(b -> b.resourceArn(arn).tagKeys("team", "unknown"));
        assertThat(ecr.listTagsForResource(b -> b.resourceArn(arn)).tags()).extracting(Tag::key).containsExactly("env");
        assertEcrError("InvalidTagParameterException", () -> ecr.tagResource(b -> b.resourceArn(arn)
                .tags(Tag.builder().key("aws:reserved").value("x").build())));
        List<Tag> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add(Tag.builder().key("k" + i).value("v").build());
        }
        assertEcrError("TooManyTagsException", () -> ecr.tagResource(b -> b.resourceArn(arn).tags(many)));
        assertEcrError("RepositoryNotFoundException", () -> ecr.listTagsForResource(b -> b.resourceArn(arn.replace("pol/tags", "pol/none"))));
        assertEcrError("InvalidParameterException", () -> ecr.listTagsForResource(b -> b.resourceArn("arn:aws:s3:::bucket")));
        ecr.deleteRepository(b -> b.repositoryName("pol/tags"));
        ecr.createRepository(b -> b.repositoryName("pol/tags"));
        assertThat(ecr.listTagsForResource(b -> b.resourceArn(arn)).tags()).as("tags go with the repository").isEmpty();
    }
}
