package io.pgha.vip.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/** The cluster's virtual address with the prefix length it is bound with, e.g. {@code 10.10.10.3/24}. */
public record VirtualIp(InetAddress address, int prefixLength) {
    public VirtualIp {
        Objects.requireNonNull(address, "address");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 1 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length must be 1.." + max + " for " + address.getHostAddress()
                    + ", got " + prefixLength);
        }
    }

    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    public int family() {
        return isIpv6() ? LibC.AF_INET6 : LibC.AF_INET;
    }

    @Override
    public String toString() {
        return text(address) + "/" + prefixLength;
    }

    /** IPv4 dotted; IPv6 in RFC 5952's short form (fd00::100), as ip prints it, not Java's fd00:0:0:0:0:0:0:100. */
    public static String text(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
