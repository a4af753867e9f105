package io.wharf.server.pullthrough;

import io.wharf.core.pullthrough.PullThroughCache;
import io.wharf.core.remote.RemoteRegistries;
import io.wharf.core.secret.UpstreamSecret;
import io.wharf.core.secret.UpstreamSecrets;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.auth.AuthSetup;
import io.wharf.server.cli.IamCli;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.http.BodyBudget;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * One Wharf server through the real wiring (SQLite, filesystem blobs, IamAuth or auth off) on a loopback port, with
 * its pull-through cache reaching upstreams through {@code remotes} and reading rule secrets from {@link #secrets}.
 */
final class WharfNode implements AutoCloseable {
    static final String ROOT_ID = "AKIAROOTROOTROOTROOT";
    static final String ROOT_SECRET = "rootrootrootrootrootrootrootrootrootroot";

    final Path data;
    final WharfConfig config;
    final Application app;
    final Backend backend;
    final PullThroughCache cache;
    final io.wharf.core.service.Registry registry;
    /** name → secret, read by the rules of this node's account. */
    final Map<String, UpstreamSecret> secrets = new ConcurrentHashMap<>();

    WharfNode(Path data, boolean iam, RemoteRegistries remotes, UnaryOperator<WharfConfig> tune) throws Exception {
        this.data = data;
        WharfConfig c = WharfConfig.defaults().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(iam)).withShutdownTimeout(Duration.ofSeconds(2));
        this.config = tune.apply(c);
        Map<String, String> env = Map.of(AuthSetup.ENV_ROOT_KEY_ID, ROOT_ID, AuthSetup.ENV_ROOT_SECRET, ROOT_SECRET);
        this.backend = Wiring.open(config, env, new PrintWriter(new StringWriter(), true));
        UpstreamSecrets read = (account, name) -> Optional.ofNullable(secrets.get(name));
        PullThroughCache[] made = new PullThroughCache[1];
        this.app = Application.start(config, backend, registry -> {
            made[0] = Wiring.pullThrough(registry, config, remotes, read);
            return Wiring.api(registry, config, backend.auth(),
                    new BodyBudget(config.ecr().maxInflightRequestBytes()), made[0]);
        });
        this.cache = made[0];
        this.registry = made[0].registry();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + app.server().uri().getPort());
    }

    String hostPort() {
        return "127.0.0.1:" + app.server().uri().getPort();
    }

    EcrClient ecr(String id, String secret) {
        return EcrClient.builder().endpointOverride(endpoint()).region(Region.of(config.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret))).build();
    }

    EcrClient root() {
        return ecr(ROOT_ID, ROOT_SECRET);
    }

    String iam(String... args) {
        return IamCli.run(data, args);
    }

    /** A new IAM user with an inline policy; its access key id and secret. */
    String[] user(String name, String policyJson) throws Exception {
        iam("create-user", name);
        Path policy = java.nio.file.Files.writeString(data.resolve(name + "-policy.json"), policyJson);
        iam("put-user-policy", name, "p", policy.toString());
        return iam("create-access-key", name).lines().map(l -> l.substring(l.indexOf('=') + 1)).toArray(String[]::new);
    }

    @Override
    public void close() {
        app.stop();
    }
}
