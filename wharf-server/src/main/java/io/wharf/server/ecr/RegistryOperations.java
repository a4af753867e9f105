package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrOperation.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.wharf.core.service.RepositoryService;
import io.wharf.core.spi.DocumentKind;
import io.wharf.server.auth.Auth;
import io.wharf.server.auth.RegistryToken;
import java.util.List;

/** DescribeRegistry, Get/PutRegistryScanningConfiguration, GetAuthorizationToken. */
final class RegistryOperations {
    private static final List<String> SCAN_TYPES = List.of("BASIC", "ENHANCED");
    private static final List<String> FREQUENCIES = List.of("SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL");

    private final RepositoryService repositories;
    private final Auth auth;

    RegistryOperations(RepositoryService repositories, Auth auth) {
        this.repositories = repositories;
        this.auth = auth;
    }

    List<EcrOperation<?>> operations() {
        return List.of(
                registry("DescribeRegistry", NoInput.class, this::describe),
                registry("GetRegistryScanningConfiguration", NoInput.class, this::getScanning),
                registry("PutRegistryScanningConfiguration", PutRegistryScanningConfigurationRequest.class, this::putScanning),
                registry("GetAuthorizationToken", GetAuthorizationTokenRequest.class, this::token));
    }

    record NoInput() implements EcrRequest {
    }

    // ---- DescribeRegistry: replication is not configurable yet, so always no rules

    record ReplicationConfiguration(List<Object> rules) {
    }

    record DescribeRegistryResponse(String registryId, ReplicationConfiguration replicationConfiguration) {
    }

    private DescribeRegistryResponse describe(EcrCall call, NoInput req) {
        return new DescribeRegistryResponse(call.account(), new ReplicationConfiguration(List.of()));
    }

    // ---- registry scanning configuration

    record RepositoryFilter(String filter, String filterType) {
    }

    record ScanningRule(String scanFrequency, List<RepositoryFilter> repositoryFilters) {
    }

    record ScanningConfiguration(String scanType, List<ScanningRule> rules) {
        static final ScanningConfiguration DEFAULT = new ScanningConfiguration("BASIC", List.of());
    }

    record PutRegistryScanningConfigurationRequest(String scanType, List<ScanningRule> rules) implements EcrRequest {
    }

    record GetRegistryScanningConfigurationResponse(String registryId, ScanningConfiguration scanningConfiguration) {
    }

    record PutRegistryScanningConfigurationResponse(ScanningConfiguration registryScanningConfiguration) {
    }

    private GetRegistryScanningConfigurationResponse getScanning(EcrCall call, NoInput req) {
        ScanningConfiguration config = repositories.accountDocument(call.account(), DocumentKind.REGISTRY_SCANNING)
                .map(doc -> EcrJson.read(doc.text().getBytes(), ScanningConfiguration.class))
                .orElse(ScanningConfiguration.DEFAULT);
        return new GetRegistryScanningConfigurationResponse(call.account(), config);
    }

    private PutRegistryScanningConfigurationResponse putScanning(EcrCall call, PutRegistryScanningConfigurationRequest req) {
        String type = req.scanType() == null ? "BASIC" : oneOf("scanType", req.scanType(), SCAN_TYPES);
        List<ScanningRule> rules = Check.size("rules", req.rules() == null ? List.of() : req.rules(), 0, 2);
        rules.forEach(r -> checkRule(type, r));
        ScanningConfiguration config = new ScanningConfiguration(type, List.copyOf(rules));
        try {
            repositories.putAccountDocument(call.account(), DocumentKind.REGISTRY_SCANNING,
                    EcrJson.MAPPER.writeValueAsString(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new PutRegistryScanningConfigurationResponse(config);
    }

    private static void checkRule(String scanType, ScanningRule rule) {
        String frequency = oneOf("scanFrequency", Check.required("scanFrequency", rule.scanFrequency()), FREQUENCIES);
        if ("BASIC".equals(scanType) && "CONTINUOUS_SCAN".equals(frequency)) {
            throw new EcrProblem(EcrError.ValidationException, "CONTINUOUS_SCAN is not a valid scan frequency for BASIC scanning");
        }
        Check.size("repositoryFilters", Check.required("repositoryFilters", rule.repositoryFilters()), 0, 100);
        for (RepositoryFilter f : rule.repositoryFilters()) {
            oneOf("filterType", Check.required("filterType", f.filterType()), List.of("WILDCARD"));
            Check.length("filter", Check.required("filter", f.filter()), 1, 255);
            if (!f.filter().matches("[a-z0-9*](?:[._\\-/a-z0-9*]?[a-z0-9*]+)*")) {
                throw EcrProblem.constraint("filter", "must satisfy regular expression '^[a-z0-9*](?:[._\\-/a-z0-9*]?[a-z0-9*]+)*$'");
            }
        }
    }

    private static String oneOf(String member, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw EcrProblem.constraint(member, "Member must satisfy enum value set: " + allowed);
        }
        return value;
    }

    // ---- GetAuthorizationToken

    record GetAuthorizationTokenRequest(List<String> registryIds) implements EcrRequest {
    }

    record AuthorizationData(String authorizationToken, java.time.Instant expiresAt, String proxyEndpoint) {
    }

    record GetAuthorizationTokenResponse(List<AuthorizationData> authorizationData) {
    }

    /** One token per registry asked for (or one for the caller's); the proxy endpoint is this registry's own URL. */
    private GetAuthorizationTokenResponse token(EcrCall call, GetAuthorizationTokenRequest req) {
        List<String> ids = req.registryIds() == null ? List.of(call.account()) : Check.size("registryIds", req.registryIds(), 1, 10);
        ids.forEach(Check::registryId);
        RegistryToken token = auth.issueRegistryToken(call.principal());
        AuthorizationData data = new AuthorizationData(token.authorizationToken(), token.expiresAt(), call.endpoint());
        return new GetAuthorizationTokenResponse(ids.stream().map(id -> data).toList());
    }
}
