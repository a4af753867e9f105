package io.wharf.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.iam.Principal;
import io.wharf.core.identity.Identities;
import io.wharf.server.auth.AuthException;
import io.wharf.server.auth.AuthSetup;
import io.wharf.server.auth.RegistryToken;
import io.wharf.core.spi.JobLease;
import io.wharf.server.config.WharfConfig;
import io.wharf.core.jobs.GcJob;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.storage.jdbc.PostgresServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes wired on one PostgreSQL database share their keys and identities, and start without stepping on each other. */
@Tag("postgres")
class ClusterNodesTest {
    private static final String ACCOUNT = "000000000000";
    private static final String REPO_ARN = "arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/app";
    private static final byte[] SEALING_KEY = "0123456789abcdef0123456789abcdef".getBytes();

    private final String url = PostgresServer.get().createDatabase();
    private final List<Backend> opened = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        opened.forEach(Backend::close);
    }

    private WharfConfig node(String name) {
        return WharfConfig.defaults().withData(dir.resolve(name))
                .withAuth(new WharfConfig.AuthSettings(true, Duration.ofHours(12),
                        Optional.of(new WharfConfig.SealingKey(SEALING_KEY))))
                .withStorage(WharfConfig.StorageSettings.postgres(
                        new WharfConfig.Postgres(url, PostgresServer.USER, null, 4)));
    }

    private Backend start(WharfConfig config, StringWriter err) throws Exception {
        Backend backend = Wiring.open(config, Map.of(), new PrintWriter(err, true));
        synchronized (opened) {
            opened.add(backend);
        }
        return backend;
    }

    @Test
    void nodesStartingAtOnceCreateOneRootKeyAnnouncedByOneOfThem() throws Exception {
        int nodes = 4;
        List<StringWriter> errs = new ArrayList<>();
        List<Callable<Backend>> starts = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            StringWriter err = new StringWriter();
            errs.add(err);
            WharfConfig config = node("node" + i);
            starts.add(() -> start(config, err));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(nodes)) {
            for (Future<Backend> f : pool.invokeAll(starts)) {
                f.get();
            }
        }
        Identities identities = AuthSetup.identities(node("node0"), (JdbcMetadataStore) opened.getFirst().metadata(),
                Clock.systemUTC());
        assertThat(identities.listAccessKeys(ACCOUNT, null)).hasSize(1);
        assertThat(errs).filteredOn(e -> e.toString().contains("AWS_SECRET_ACCESS_KEY=")).hasSize(1);
        long files = 0;
        for (int i = 0; i < nodes; i++) {
            files += Files.exists(dir.resolve("node" + i).resolve(AuthSetup.CREDENTIALS_FILE)) ? 1 : 0;
        }
        assertThat(files).as("credentials files written").isEqualTo(1);
    }

    @Test
    void aTokenOneNodeIssuesIsAcceptedByAnother() throws Exception {
        Backend a = start(node("a"), new StringWriter());
        Backend b = start(node("b"), new StringWriter());
        RegistryToken token = a.auth().issueRegistryToken(Principal.root(ACCOUNT));
        assertThat(b.auth().authenticateRegistry("Basic " + token.authorizationToken())).isEqualTo(Principal.root(ACCOUNT));
        assertThat(Files.exists(dir.resolve("b").resolve("keys").resolve("token-signing-key")))
                .as("no node-local signing key").isFalse();
    }

    /** {@code wharf iam} pointed at the cluster's configuration works on the shared database and its keys. */
    @Test
    void wharfIamWorksOnTheSharedDatabase() throws Exception {
        Backend a = start(node("a"), new StringWriter());
        Path config = Files.writeString(dir.resolve("cluster.yaml"), """
                data: %s
                storage:
                  metadata: postgres
                  postgres:
                    url: %s
                    user: %s
                auth:
                  sealing-key: %s
                """.formatted(dir.resolve("admin"), url, PostgresServer.USER,
                java.util.Base64.getEncoder().encodeToString(SEALING_KEY)));
        String password = wharf("iam", "-c", config.toString(), "login-password", "--root").strip();
        String basic = java.util.Base64.getEncoder().encodeToString(("AWS:" + password).getBytes());
        assertThat(a.auth().authenticateRegistry("Basic " + basic)).isEqualTo(Principal.root(ACCOUNT));
        // the read-only commands open the shared database read-only
        assertThat(wharf("usage", "-c", config.toString())).contains("registry");
        assertThat(wharf("gc", "--dry-run", "-c", config.toString())).contains("a run now would delete 0 files");
    }

    private static String wharf(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = io.wharf.server.cli.WharfCommand.execute(Map.of(), new PrintWriter(out), new PrintWriter(err), args);
        assertThat(status).as(String.join(" ", args) + ": " + err).isZero();
        return out.toString();
    }

    /** A node starting (or restarting) while another runs a job: the runner's lease stays its own. */
    @Test
    void aStartingNodeLeavesAnotherNodesLiveLeaseAlone() throws Exception {
        Backend a = start(node("a"), new StringWriter());
        Instant now = Instant.now();
        a.metadata().registerJob(GcJob.NAME, Duration.ofHours(1), now.minusSeconds(1));
        JobLease lease = a.metadata().acquireJob(GcJob.NAME, "node-a", now, now.plusSeconds(600)).orElseThrow();

        WharfConfig config = node("b").withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withShutdownTimeout(Duration.ofSeconds(5));
        Backend b = Wiring.open(config, Map.of(), new PrintWriter(new StringWriter(), true));
        Application app = Application.start(config, b, registry -> Wiring.api(registry, config, b.auth()));
        try {
            assertThat(a.metadata().findJob(GcJob.NAME).orElseThrow().owner()).isEqualTo("node-a");
            assertThat(a.metadata().renewJob(lease, now.plusSeconds(900), Map.of())).as("still renewable").isPresent();
        } finally {
            app.stop();
            app.awaitStopped();
        }
    }

    /** The identity policy cache lives 15 s; a change made through one node reaches the others' at once. */
    @Test
    void anIdentityChangeThroughOneNodeReachesTheOthersCache() throws Exception {
        Backend a = start(node("a"), new StringWriter());
        Backend b = start(node("b"), new StringWriter());
        Identities admin = AuthSetup.identities(node("a"), (JdbcMetadataStore) a.metadata(), Clock.systemUTC());
        admin.createUser(ACCOUNT, "alice");
        admin.putUserPolicy(ACCOUNT, "alice", "pull", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""");
        Principal alice = Principal.user(ACCOUNT, "alice");
        awaitAllowed(b, alice); // cached by node b now
        b.auth().authorize(alice, "ecr:BatchGetImage", REPO_ARN, null);

        admin.deleteUserPolicy(ACCOUNT, "alice", "pull");
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (allowed(b, alice)) {
            assertThat(System.nanoTime()).as("node b forgets the deleted policy well within the cache's 15 s")
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThatThrownBy(() -> b.auth().authorize(alice, "ecr:BatchGetImage", REPO_ARN, null))
                .isInstanceOf(AuthException.class);
    }

    private static void awaitAllowed(Backend node, Principal who) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!allowed(node, who)) {
            assertThat(System.nanoTime()).as("allowed").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static boolean allowed(Backend node, Principal who) {
        try {
            node.auth().authorize(who, "ecr:BatchGetImage", REPO_ARN, null);
            return true;
        } catch (AuthException e) {
            return false;
        }
    }
}
