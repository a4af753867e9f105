package io.wharf.server.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.iam.Principal;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.ReplicationIndex.Task;
import io.wharf.server.auth.AuthSetup;
import io.wharf.server.cli.IamCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code X-Wharf-Replicated-From} marks a push as replication's (not relayed) only from a caller allowed
 * {@code ecr:ReplicateImage} on the repository; from anyone else it is ignored, so a plain user cannot opt out of
 * replication. Authentication on, real HTTP.
 */
class ReplicatedFromHeaderTest {
    static final String ACCOUNT = "000000000000";
    static final String PUSH_ONLY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:InitiateLayerUpload","ecr:UploadLayerPart",
             "ecr:CompleteLayerUpload","ecr:PutImage","ecr:BatchCheckLayerAvailability","ecr:BatchGetImage"],"Resource":"*"}]}""";

    @TempDir
    Path data;
    private Deployment d;

    @BeforeEach
    void start() throws Exception {
        d = Deployment.start(data, "us-east-1", Map.of("auth.enabled", "true"), Map.of(
                AuthSetup.ENV_ROOT_KEY_ID, "AKIAROOTROOTROOTROOT", AuthSetup.ENV_ROOT_SECRET, "rootrootrootrootrootrootrootrootrootroot"));
        d.backend.registry().metadata().replication().putConfiguration(ACCOUNT,
                "{\"rules\":[{\"destinations\":[{\"region\":\"us-west-2\",\"registryId\":\"" + ACCOUNT + "\"}]}]}", java.time.Instant.now());
    }

    @AfterEach
    void stop() {
        d.close();
    }

    private List<Task> tasks(Digest digest) {
        long repo = d.backend.registry().metadata().findRepository(ACCOUNT, new RepositoryName("app")).orElseThrow().id();
        return d.backend.registry().metadata().replication().tasks(repo, digest);
    }

    @Test
    void theMarkCountsOnlyFromACallerAllowedToReplicate() throws Exception {
        IamCli.run(data, "create-user", "pusher");
        Path policy = Files.writeString(data.resolve("push.json"), PUSH_ONLY);
        IamCli.run(data, "put-user-policy", "pusher", "push", policy.toString());
        d.authorization = "Basic " + d.backend.auth().issueRegistryToken(Principal.root(ACCOUNT)).authorizationToken();
        Digest byRoot = Digest.sha256Of(d.pushImage("app", "root", "X-Wharf-Replicated-From", "us-west-2/111111111111"));
        Digest malformed = Digest.sha256Of(d.pushImage("app", "bad", "X-Wharf-Replicated-From", "somewhere"));
        d.authorization = "Basic " + d.backend.auth().issueRegistryToken(Principal.user(ACCOUNT, "pusher")).authorizationToken();
        Digest byUser = Digest.sha256Of(d.pushImage("app", "user", "X-Wharf-Replicated-From", "us-west-2/111111111111"));
        CrossAccountReplicationTest.await("the user's and the malformed push queued",
                () -> !tasks(byUser).isEmpty() && !tasks(malformed).isEmpty());
        Thread.sleep(300);
        assertThat(tasks(byRoot)).as("the root may replicate: its mark counts").isEmpty();
        assertThat(d.backend.registry().metadata().replication().replicatedIn(
                d.backend.registry().metadata().findRepository(ACCOUNT, new RepositoryName("app")).orElseThrow().id()))
                .containsExactly(byRoot);
    }
}
