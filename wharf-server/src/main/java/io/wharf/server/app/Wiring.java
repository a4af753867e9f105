package io.wharf.server.app;

import io.wharf.core.service.Damage;
import io.wharf.core.pullthrough.PullThroughCache;
import io.wharf.core.pullthrough.PullThroughService;
import io.wharf.core.remote.RemoteRegistries;
import io.wharf.core.secret.UpstreamSecrets;
import io.wharf.core.service.Registry;
import io.wharf.server.api.WharfApiHandler;
import io.wharf.server.auth.Auth;
import io.wharf.server.auth.AuthSetup;
import io.wharf.server.auth.StoredResourcePolicies;
import io.wharf.server.auth.StoredUpstreamSecrets;
import io.wharf.server.secrets.SecretsManagerHandler;
import io.wharf.server.config.ConfigException;
import io.wharf.server.config.ConfigKey;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.console.Console;
import io.wharf.server.console.ConsoleHandler;
import io.wharf.server.ecr.EcrHandler;
import io.wharf.server.ecr.EcrOperations;
import io.wharf.server.ecr.EcrPublicOperations;
import io.wharf.server.jobs.StandardJobs;
import io.wharf.server.http.BodyBudget;
import io.wharf.server.http.RequestRates;
import io.wharf.server.oci.OciHandler;
import io.wharf.server.remote.HttpRemoteRegistries;
import io.wharf.server.sts.StsHandler;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a server's domain on the storage its configuration names ({@link Storage}): the single-node default
 * (filesystem blobs and uploads plus SQLite metadata, all in the data directory) or a cluster node's shared
 * database.
 */
public final class Wiring {
    private static final Logger DAMAGE_LOG = LoggerFactory.getLogger("io.wharf.integrity");

    private Wiring() {
    }

    /** Opens (creating on first start) the storage in {@code config.data()} and wires the domain on top. */
    public static Backend open(WharfConfig config) throws IOException {
        return open(config, System.getenv(), new PrintWriter(System.err, true));
    }

    /**
     * As {@link #open(WharfConfig)}; with {@code auth.enabled}, also the identities beside the metadata,
     * the keys in {@code <data>/keys/} and, on first start, the root's access key (announced on {@code err}).
     */
    public static Backend open(WharfConfig config, Map<String, String> env, PrintWriter err) throws IOException {
        Storage storage = Storage.open(config, Storage.Access.SERVER);
        JdbcMetadataStore meta = storage.metadata();
        try {
            Clock clock = Clock.systemUTC();
            Auth auth = AuthSetup.open(config, meta, new StoredResourcePolicies(meta), env, err);
            Registry registry = new Registry(meta, storage.domains().blobs(null), storage.uploads(),
                    config.toRegistryLimits(), config.ecr().quotas(), config.ecr().createOnPush(), clock,
                    Wiring::logDamage, storage.blobLocks(), storage.uploadLocks(), storage.domains());
            io.wharf.server.signing.Signatures.trust(registry, config.signatures());
            return new Backend(registry, meta, auth, storage.soleUser());
        } catch (IOException | RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    /** The pull-through cache: its rules (ECR operations) and the pull path (OCI), over one rules cache. */
    public static PullThroughCache pullThrough(Registry registry, WharfConfig config, RemoteRegistries remotes,
                                               UpstreamSecrets secrets) {
        PullThroughService rules = new PullThroughService(registry.metadata().pullThrough(), remotes, secrets,
                config.pullThrough().settings(config.region()), Clock.systemUTC());
        return new PullThroughCache(registry, rules, Clock.systemUTC());
    }

    private static RemoteRegistries remoteRegistries(WharfConfig config) {
        return new HttpRemoteRegistries(config.remote());
    }

    /** Every damaged blob or manifest the services find, once per finding (a damaged blob is set aside at once). */
    private static void logDamage(Damage damage) {
        DAMAGE_LOG.error("damaged {}", damage);
    }

    /**
     * All APIs on one port: the console ({@code /console/}, and {@code GET /} redirected to it), Wharf's own
     * {@code /wharf/v1/}, STS's, Secrets Manager's and ECR's {@code /}, then {@code /v2/}.
     */
    public static Handler api(Registry registry, WharfConfig config, Auth auth) {
        return api(registry, config, auth, new BodyBudget(config.ecr().maxInflightRequestBytes()));
    }

    /** As {@link #api(Registry, WharfConfig, Auth)} with the ECR bodies' budget given (tests watch it). */
    public static Handler api(Registry registry, WharfConfig config, Auth auth, BodyBudget ecrBodies) {
        return api(registry, config, auth, ecrBodies, pullThrough(registry, config, remoteRegistries(config),
                StoredUpstreamSecrets.open(config, registry.metadata(), Clock.systemUTC())));
    }

    /** As {@link #api(Registry, WharfConfig, Auth, BodyBudget)} with the pull-through cache given (tests choose its secrets). */
    public static Handler api(Registry registry, WharfConfig config, Auth auth, BodyBudget ecrBodies,
                              PullThroughCache pullThrough) {
        var replication = io.wharf.server.replication.ReplicationWiring.service(config, registry);
        var scans = StandardJobs.scanService(config, registry);
        EcrOperations ecrOperations = new EcrOperations(registry, auth, config.region(), scans, replication,
                pullThrough.rules(), io.wharf.server.signing.Signatures.signing(registry, config));
        RequestRates rates = requestRates(config, EcrHandler.operationNames(ecrOperations));
        EcrHandler ecr = new EcrHandler(ecrOperations, auth, config.region(),
                config.ecr().maxRequestBytes(), ecrBodies, config.limits().errorDrainBytes(), rates);
        OciHandler oci = new OciHandler(registry, config.account(), config.region(), config.limits().maxNameLength(), auth,
                config.limits().errorDrainBytes(), config.integrity().verifyOnRead(),
                new BodyBudget(config.limits().maxInflightManifestBytes()), pullThrough, rates);
        WharfApiHandler wharf = new WharfApiHandler(registry.metadata(), auth, config.region(), config.account(),
                config.limits().maxNameLength(), Clock.systemUTC(), new WharfApiHandler.Services(scans, replication,
                io.wharf.server.webhook.WebhookWiring.service(config, registry),
                config.insight().settings().enabled() ? StandardJobs.insightService(config, registry) : null,
                registry.gallery(), config.gallery(), io.wharf.server.signing.Signatures.service(registry)));
        StsHandler sts = new StsHandler(auth, config.ecr().maxRequestBytes(), ecrBodies, config.limits().errorDrainBytes());
        SecretsManagerHandler secrets = new SecretsManagerHandler(
                StoredUpstreamSecrets.open(config, registry.metadata(), Clock.systemUTC()), auth, config.region(),
                config.ecr().maxRequestBytes(), ecrBodies, config.limits().errorDrainBytes());
        io.wharf.server.audit.CloudTrailHandler cloudTrail = new io.wharf.server.audit.CloudTrailHandler(
                registry.metadata().audit(), auth, config.ecr().maxRequestBytes(), ecrBodies,
                config.limits().errorDrainBytes());
        EcrHandler ecrPublic = new EcrHandler(new EcrPublicOperations(registry.gallery(), auth),
                auth, config.region(), config.ecr().maxRequestBytes(), ecrBodies, config.limits().errorDrainBytes());
        ConsoleHandler console = Console.handler(registry, scans, auth, config, replication, pullThrough.rules());
        return console == null ? new Handler.Sequence(wharf, sts, secrets, cloudTrail, ecrPublic, ecr, oci)
                : new Handler.Sequence(console, wharf, sts, secrets, cloudTrail, ecrPublic, ecr, oci);
    }

    /** One limiter for both APIs, so a /v2/ pull and a BatchGetImage draw on the same bucket. */
    static RequestRates requestRates(WharfConfig config, Set<String> operations) {
        for (String op : config.limits().throttling().rates().keySet()) {
            if (!operations.contains(op)) {
                throw new ConfigException("invalid " + ConfigKey.THROTTLING_RATES.path() + ": '" + op
                        + "' is not an ECR operation (names as in X-Amz-Target, e.g. BatchGetImage)");
            }
        }
        return new RequestRates(config.limits().throttling().effective(), System::nanoTime);
    }

}
