package io.wharf.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.error.NameUnknownException;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryUploadStore;
import io.wharf.core.model.Encryption;
import io.wharf.core.model.TagFilter;
import io.wharf.core.model.TagMutability;
import io.wharf.core.model.TagMutabilityPolicy;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.MetadataStoreFixture;
import io.wharf.core.spi.Repository;
import io.wharf.core.template.AppliedFor;
import io.wharf.core.template.CreationTemplate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link RepositoryService#createImplicitly} and create on push against a real store: the matching creation template
 * (longest prefix, ROOT last, only for its {@code appliedFor}) applied in the creating transaction.
 */
public abstract class ImplicitCreationContract extends MetadataStoreFixture {
    static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"*\"},\"Action\":\"ecr:BatchGetImage\"}]}";
    static final String LIFECYCLE = "{\"rules\":[{\"rulePriority\":1,\"description\":\"expire untagged images\","
            + "\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\","
            + "\"countNumber\":14},\"action\":{\"type\":\"expire\"}}]}";

    protected Registry registry(boolean createOnPush) {
        Clock clock = Clock.fixed(at(100), ZoneOffset.UTC);
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        return new Registry(store, blobs, new InMemoryUploadStore(blobs, clock), RegistryLimits.defaults(),
                Quotas.defaults(), createOnPush, clock);
    }

    protected static CreationTemplate template(String prefix, String team, AppliedFor... reasons) {
        return new CreationTemplate(prefix, null, Encryption.AES256, new TreeMap<>(Map.of("team", team)),
                TagMutabilityPolicy.MUTABLE, null, null, Set.of(reasons), null, null, null);
    }

    private Repository implicitly(Registry r, String name, AppliedFor reason) {
        RepoKey key = new RepoKey(ACCOUNT, name(name));
        return store.inTransaction("test", unit -> r.repositories().createImplicitly(unit, key, reason));
    }

    private String team(String name) {
        return store.resourceTags(store.findRepository(ACCOUNT, name(name)).orElseThrow().id()).get("team");
    }

    @Test
    void theLongestCoveringPrefixWinsAndRootIsTheFallback() {
        Registry r = registry(true);
        for (String p : List.of("ROOT", "team", "team/a")) {
            r.templates().create(ACCOUNT, template(p, p, AppliedFor.REPLICATION));
        }
        implicitly(r, "team/a/x", AppliedFor.REPLICATION);
        implicitly(r, "team/b", AppliedFor.REPLICATION);
        implicitly(r, "teams/c", AppliedFor.REPLICATION);
        implicitly(r, "team", AppliedFor.REPLICATION);
        assertThat(team("team/a/x")).isEqualTo("team/a");
        assertThat(team("team/b")).isEqualTo("team");
        assertThat(team("teams/c")).as("a prefix covers whole path segments only").isEqualTo("ROOT");
        assertThat(team("team")).as("prefix 'team' covers team/..., not team itself").isEqualTo("ROOT");
    }

    @Test
    void onlyTemplatesAppliedForTheReasonCount() {
        Registry r = registry(true);
        r.templates().create(ACCOUNT, template("cache", "ptc", AppliedFor.PULL_THROUGH_CACHE));
        r.templates().create(ACCOUNT, template("ROOT", "root", AppliedFor.REPLICATION));
        implicitly(r, "cache/x", AppliedFor.PULL_THROUGH_CACHE);
        implicitly(r, "cache/y", AppliedFor.REPLICATION);
        implicitly(r, "cache/z", AppliedFor.CREATE_ON_PUSH);
        assertThat(team("cache/x")).isEqualTo("ptc");
        assertThat(team("cache/y")).isEqualTo("root");
        assertThat(team("cache/z")).as("no template: plain defaults").isNull();
    }

    @Test
    void everyTemplateSettingIsAppliedInTheCreatingTransaction() {
        Registry r = registry(true);
        long before = store.lastSequence();
        TagMutabilityPolicy mutability = new TagMutabilityPolicy(TagMutability.IMMUTABLE_WITH_EXCLUSION,
                List.of(new TagFilter("latest")));
        Encryption kms = new Encryption(Encryption.Type.KMS, "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/k1");
        r.templates().create(ACCOUNT, new CreationTemplate("prod", "d", kms, new TreeMap<>(Map.of("env", "prod")),
                mutability, POLICY, LIFECYCLE, Set.of(AppliedFor.PULL_THROUGH_CACHE), "arn:aws:iam::1:role/r", null, null));
        Repository repo = implicitly(r, "prod/web", AppliedFor.PULL_THROUGH_CACHE);
        assertThat(repo.settings().tagMutability()).isEqualTo(mutability);
        assertThat(repo.settings().encryption()).isEqualTo(kms);
        assertThat(store.resourceTags(repo.id())).containsExactlyEntriesOf(Map.of("env", "prod"));
        assertThat(store.repositoryDocument(repo.id(), DocumentKind.REPOSITORY_POLICY).orElseThrow().text()).isEqualTo(POLICY);
        assertThat(store.repositoryDocument(repo.id(), DocumentKind.LIFECYCLE_POLICY).orElseThrow().text()).isEqualTo(LIFECYCLE);
        assertThat(store.eventsAfter(before, 10)).extracting(e -> e.event())
                .containsExactly(new RegistryEvent.RepositoryCreated(ACCOUNT, name("prod/web")));
        assertThat(implicitly(r, "prod/web", AppliedFor.PULL_THROUGH_CACHE).id()).as("existing: returned as is")
                .isEqualTo(repo.id());
        assertThat(store.eventsAfter(before, 10)).hasSize(1);
    }

    @Test
    void withCreateOnPushOffOnlyACreateOnPushTemplateLetsAPushCreate() {
        Registry r = registry(false);
        RepoKey plain = new RepoKey(ACCOUNT, name("plain/app"));
        assertThatThrownBy(() -> r.uploads().start(plain, "me")).isInstanceOf(NameUnknownException.class);
        r.templates().create(ACCOUNT, template("plain", "replicas", AppliedFor.REPLICATION));
        assertThatThrownBy(() -> r.uploads().start(plain, "me")).isInstanceOf(NameUnknownException.class);
        assertThat(store.findRepository(ACCOUNT, plain.name())).isEmpty();

        r.templates().create(ACCOUNT, template("auto", "pushed", AppliedFor.CREATE_ON_PUSH));
        r.uploads().start(new RepoKey(ACCOUNT, name("auto/app")), "me");
        assertThat(team("auto/app")).isEqualTo("pushed");
    }

    @Test
    void aReplicatedPushCreatesForReplicationWhateverTheSetting() {
        Registry r = registry(false);
        r.templates().create(ACCOUNT, template("ROOT", "replicas", AppliedFor.REPLICATION));
        RepoKey key = new RepoKey(ACCOUNT, name("mirrored/app"));
        ScopedValue.where(PushContext.REPLICATED_FROM, "eu-west-1/" + OTHER_ACCOUNT).run(() -> r.uploads().start(key, "me"));
        assertThat(team("mirrored/app")).isEqualTo("replicas");
    }
}
