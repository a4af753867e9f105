package io.wharf.core.iam;

import java.net.InetAddress;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 CIDR block from IpAddress/NotIpAddress; a bare address is a single-host block. */
final class IpRange {

    // InetAddress.ofLiteral also takes the legacy forms "10" and "10.1"; policies may only use dotted quads.
    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final byte[] network;
    private final int prefix;

    private IpRange(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    static IpRange parse(String cidr) {
        int slash = cidr.indexOf('/');
        byte[] address = address(slash < 0 ? cidr : cidr.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("\"" + cidr + "\" is not an IP address or CIDR block");
        }
        int bits = address.length * 8;
        int prefix = slash < 0 ? bits : prefixLength(cidr.substring(slash + 1), bits);
        if (prefix < 0) {
            throw new IllegalArgumentException("\"" + cidr + "\" has an invalid prefix length (0-" + bits + ")");
        }
        return new IpRange(address, prefix);
    }

    /** False for anything that is not an address of this block's family (IPv4 never matches IPv6). */
    boolean contains(String ip) {
        byte[] a = address(ip.trim());
        if (a == null || a.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return rest == 0 || (a[whole] & mask) == (network[whole] & mask);
    }

    private static int prefixLength(String text, int bits) {
        if (!text.matches("\\d{1,3}")) {
            return -1;
        }
        int n = Integer.parseInt(text);
        return n <= bits ? n : -1;
    }

    private static byte[] address(String text) {
        if (text.indexOf(':') < 0 && !DOTTED_QUAD.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(text).getAddress(); // a literal only: never a DNS lookup
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
