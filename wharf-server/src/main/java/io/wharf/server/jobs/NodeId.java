package io.wharf.server.jobs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The owner id a process writes into the lease rows: {@code host:pid:random}, unique even across restarts. */
public final class NodeId {
    private NodeId() {
    }

    public static String create() {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        return host() + ":" + ProcessHandle.current().pid() + ":" + HexFormat.of().formatHex(random);
    }

    private static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
