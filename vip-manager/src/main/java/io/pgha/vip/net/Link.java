package io.pgha.vip.net;

import java.util.Optional;

/** One network interface as rtnetlink describes it (RTM_NEWLINK). */
public record Link(int index, String name, int type, int flags, Optional<MacAddress> mac) {
    static final int ARPHRD_ETHER = 1;
    static final int ARPHRD_LOOPBACK = 772;
    static final int IFF_UP = 0x1;
    static final int IFF_LOOPBACK = 0x8;

    public boolean isUp() {
        return (flags & IFF_UP) != 0;
    }

    public boolean isLoopback() {
        return type == ARPHRD_LOOPBACK || (flags & IFF_LOOPBACK) != 0;
    }

    /** Gratuitous ARP and neighbour advertisements need an Ethernet-like link with a real hardware address. */
    public boolean isEthernet() {
        return type == ARPHRD_ETHER && mac.isPresent() && !mac.get().isZero();
    }
}
