package io.wharf.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Encryption;
import io.wharf.core.model.TagFilter;
import io.wharf.core.model.TagMutability;
import io.wharf.core.model.TagMutabilityPolicy;
import io.wharf.core.template.AppliedFor;
import io.wharf.core.template.CreationTemplate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The contract of {@link TemplateIndex}; every backend runs it. */
public abstract class TemplateIndexContract extends MetadataStoreFixture {

    public static CreationTemplate template(String prefix, long at, AppliedFor... reasons) {
        return new CreationTemplate(prefix, "d " + prefix, new Encryption(Encryption.Type.KMS, "arn:aws:kms:us-east-1:1:key/k"),
                new TreeMap<>(Map.of("team", "a")), new TagMutabilityPolicy(TagMutability.IMMUTABLE_WITH_EXCLUSION,
                List.of(new TagFilter("latest"))), "{\"Version\":\"2012-10-17\",\"Statement\":[]}", null,
                Set.of(reasons), "arn:aws:iam::1:role/r", MetadataStoreFixture.at(at), MetadataStoreFixture.at(at));
    }

    @Test
    void aTemplateRoundTripsWithEveryField() {
        TemplateIndex index = store.templates();
        CreationTemplate t = template("prod", 1, AppliedFor.REPLICATION, AppliedFor.CREATE_ON_PUSH);
        assertThat(index.createTemplate(ACCOUNT, t)).isTrue();
        assertThat(index.findTemplate(ACCOUNT, "prod")).contains(t);
        assertThat(index.findTemplate(OTHER_ACCOUNT, "prod")).as("per account").isEmpty();
        assertThat(index.createTemplate(ACCOUNT, template("prod", 2, AppliedFor.REPLICATION))).as("prefix taken").isFalse();
        assertThat(index.findTemplate(ACCOUNT, "prod")).contains(t);
    }

    @Test
    void updateReplacesTheContentAndKeepsTheCreationTime() {
        TemplateIndex index = store.templates();
        index.createTemplate(ACCOUNT, template("prod", 1, AppliedFor.REPLICATION));
        CreationTemplate changed = template("prod", 5, AppliedFor.PULL_THROUGH_CACHE);
        assertThat(index.updateTemplate(ACCOUNT, changed)).isTrue();
        CreationTemplate read = index.findTemplate(ACCOUNT, "prod").orElseThrow();
        assertThat(read.appliedFor()).containsExactly(AppliedFor.PULL_THROUGH_CACHE);
        assertThat(read.createdAt()).isEqualTo(at(1));
        assertThat(read.updatedAt()).isEqualTo(at(5));
        assertThat(index.updateTemplate(ACCOUNT, template("dev", 5, AppliedFor.REPLICATION))).isFalse();
        assertThat(index.findTemplate(ACCOUNT, "dev")).isEmpty();
    }

    @Test
    void listingPagesByPrefixAndCountsPerAccount() {
        TemplateIndex index = store.templates();
        for (String p : List.of("b", "ROOT", "a/x", "c")) {
            index.createTemplate(ACCOUNT, template(p, 1, AppliedFor.REPLICATION));
        }
        index.createTemplate(OTHER_ACCOUNT, template("z", 1, AppliedFor.REPLICATION));
        assertThat(index.templates(ACCOUNT, null, 10)).extracting(CreationTemplate::prefix)
                .containsExactly("ROOT", "a/x", "b", "c");
        assertThat(index.templates(ACCOUNT, null, 2)).extracting(CreationTemplate::prefix).containsExactly("ROOT", "a/x");
        assertThat(index.templates(ACCOUNT, "a/x", 10)).extracting(CreationTemplate::prefix).containsExactly("b", "c");
        assertThat(index.countTemplates(ACCOUNT)).isEqualTo(4);
        assertThat(index.countTemplates(OTHER_ACCOUNT)).isEqualTo(1);
    }

    @Test
    void deleteRemovesOnlyThatTemplate() {
        TemplateIndex index = store.templates();
        index.createTemplate(ACCOUNT, template("a", 1, AppliedFor.REPLICATION));
        index.createTemplate(ACCOUNT, template("b", 1, AppliedFor.REPLICATION));
        assertThat(index.deleteTemplate(ACCOUNT, "a")).isTrue();
        assertThat(index.deleteTemplate(ACCOUNT, "a")).isFalse();
        assertThat(index.templates(ACCOUNT, null, 10)).extracting(CreationTemplate::prefix).containsExactly("b");
    }

    @Test
    void accountSettingsAreStoredPerAccountAndReplaced() {
        TemplateIndex index = store.templates();
        assertThat(index.accountSetting(ACCOUNT, "BLOB_MOUNTING")).isEmpty();
        index.putAccountSetting(ACCOUNT, "BLOB_MOUNTING", "DISABLED", at(1));
        index.putAccountSetting(ACCOUNT, "BLOB_MOUNTING", "ENABLED", at(2));
        index.putAccountSetting(OTHER_ACCOUNT, "BLOB_MOUNTING", "DISABLED", at(2));
        assertThat(index.accountSetting(ACCOUNT, "BLOB_MOUNTING")).contains("ENABLED");
        assertThat(index.accountSetting(OTHER_ACCOUNT, "BLOB_MOUNTING")).contains("DISABLED");
        assertThat(index.accountSetting(ACCOUNT, "REGISTRY_POLICY_SCOPE")).isEmpty();
    }
}
