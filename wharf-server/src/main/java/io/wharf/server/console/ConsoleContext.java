package io.wharf.server.console;

import io.wharf.core.service.Registry;
import io.wharf.scan.service.ScanService;
import io.wharf.server.auth.Auth;

/**
 * What every console page shares: the domain services, authorization, the region and the limits.
 *
 * @param scans        stored scan results (null: scanning is not wired)
 * @param authDisabled {@code auth.enabled=false}: everyone is the root, signed in without a form
 * @param account      the configured account: with authentication off, everyone is its root
 * @param pageSize     rows per page of the lists
 * @param admin        the services of the administration pages
 */
record ConsoleContext(Registry registry, ScanService scans, Auth auth, String region, int maxNameLength,
                      boolean authDisabled, String account, int pageSize, AdminContext admin) {
}
