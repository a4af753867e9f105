package io.wharf.scan.model;

/**
 * The image's operating system, from {@code etc/os-release} (or {@code usr/lib/os-release}).
 *
 * @param id              {@code ID} (debian, alpine, ubuntu, rhel, fedora, rocky, almalinux, amzn, …)
 * @param versionId       {@code VERSION_ID} (12, 3.19.1, 22.04, …); null on Debian testing/sid
 * @param versionCodename {@code VERSION_CODENAME}, or null
 * @param prettyName      {@code PRETTY_NAME}, or null
 */
public record OsRelease(String id, String versionId, String versionCodename, String prettyName) {
}
