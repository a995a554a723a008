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
        return address.getHostAddress() + "/" + prefixLength;
    }
}
