package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrOperation.registry;

import io.wharf.scan.service.ScanService;
import io.wharf.scan.service.ScanningConfiguration;
import io.wharf.server.auth.Auth;
import io.wharf.server.auth.RegistryToken;
import java.util.List;

/** Get/PutRegistryScanningConfiguration, GetAuthorizationToken (DescribeRegistry: {@link ReplicationOperations}). */
final class RegistryOperations {
    private final ScanService scans;
    private final Auth auth;

    RegistryOperations(ScanService scans, Auth auth) {
        this.scans = scans;
        this.auth = auth;
    }

    List<EcrOperation<?>> operations() {
        return List.of(
                registry("GetRegistryScanningConfiguration", NoInput.class, this::getScanning),
                registry("PutRegistryScanningConfiguration", PutRegistryScanningConfigurationRequest.class, this::putScanning),
                registry("GetAuthorizationToken", GetAuthorizationTokenRequest.class, this::token));
    }

    record NoInput() implements EcrRequest {
    }

    // ---- registry scanning configuration (parsed, validated and resolved by the scanner's ScanningConfiguration)

    record PutRegistryScanningConfigurationRequest(String scanType, List<ScanningConfiguration.Rule> rules) implements EcrRequest {
    }

    record GetRegistryScanningConfigurationResponse(String registryId, ScanningConfiguration scanningConfiguration) {
    }

    record PutRegistryScanningConfigurationResponse(ScanningConfiguration registryScanningConfiguration) {
    }

    private GetRegistryScanningConfigurationResponse getScanning(EcrCall call, NoInput req) {
        return new GetRegistryScanningConfigurationResponse(call.account(), scans.registryConfiguration(call.account()));
    }

    private PutRegistryScanningConfigurationResponse putScanning(EcrCall call, PutRegistryScanningConfigurationRequest req) {
        return new PutRegistryScanningConfigurationResponse(scans.putRegistryConfiguration(call.account(), req.scanType(), req.rules()));
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
