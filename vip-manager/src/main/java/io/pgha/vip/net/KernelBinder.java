package io.pgha.vip.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Optional;

/**
 * Binds the VIP with rtnetlink and announces it from a raw packet socket, in the network namespace
 * of the thread that opened it. The interface is looked up by name on every call, so an interface
 * that is recreated (new index) is followed rather than addressed by a stale index.
 */
public final class KernelBinder implements AddressBinder {
    private final String interfaceName;
    private final VirtualIp vip;
    private final Rtnetlink netlink;
    private final PacketSocket packets;

    private KernelBinder(String interfaceName, VirtualIp vip, Rtnetlink netlink, PacketSocket packets) {
        this.interfaceName = interfaceName;
        this.vip = vip;
        this.netlink = netlink;
        this.packets = packets;
    }

    /** Opens both sockets now, so a missing capability is an error at start, not at the first failover. */
    public static KernelBinder open(String interfaceName, VirtualIp vip) {
        Rtnetlink netlink = Rtnetlink.open();
        try {
            return new KernelBinder(interfaceName, vip, netlink, PacketSocket.open());
        } catch (RuntimeException e) {
            netlink.close();
            throw e;
        }
    }

    @Override
    public Link usableLink() {
        Optional<Link> found = netlink.link(interfaceName);
        if (found.isEmpty()) {
            throw new NetException("interface " + interfaceName + " does not exist (in this network namespace)", LibC.ENODEV);
        }
        Link link = found.get();
        if (link.isLoopback()) {
            throw new NetException("interface " + interfaceName + " is a loopback interface: neighbours cannot reach a VIP on it", 0);
        }
        if (!link.isEthernet()) {
            throw new NetException("interface " + interfaceName + " is not an Ethernet interface (link type " + link.type()
                    + "): gratuitous ARP cannot announce a VIP on it", 0);
        }
        if (!link.isUp()) {
            throw new NetException("interface " + interfaceName + " is down", 0);
        }
        return link;
    }

    @Override
    public boolean isBound() {
        int index = usableLink().index();
        return netlink.addresses(vip.family()).stream()
                .anyMatch(a -> a.interfaceIndex() == index && a.address().equals(vip.address()));
    }

    @Override
    public boolean bind() {
        return netlink.addAddress(usableLink().index(), vip);
    }

    @Override
    public boolean unbind() {
        // Look the interface up without insisting it is up: an address on a downed link must still go.
        Optional<Link> link = netlink.link(interfaceName);
        if (link.isEmpty()) {
            return false; // the interface and every address on it are gone
        }
        int index = link.get().index();
        boolean removed = false;
        // Delete with whatever prefix it carries: someone may have added it by hand with another one.
        for (InterfaceAddress a : netlink.addresses(vip.family())) {
            if (a.interfaceIndex() == index && a.address().equals(vip.address())) {
                removed |= netlink.deleteAddress(index, a.address(), a.prefixLength());
            }
        }
        return removed;
    }

    @Override
    public void announce() {
        Link link = usableLink();
        MacAddress mac = link.mac().orElseThrow();
        if (vip.address() instanceof Inet4Address v4) {
            packets.send(link.index(), Frames.ETH_P_ARP, Frames.gratuitousArp(mac, v4, false));
            packets.send(link.index(), Frames.ETH_P_ARP, Frames.gratuitousArp(mac, v4, true));
        } else {
            packets.send(link.index(), Frames.ETH_P_IPV6, Frames.unsolicitedNeighbourAdvertisement(mac, (Inet6Address) vip.address()));
        }
    }

    @Override
    public void close() {
        packets.close();
        netlink.close();
    }
}
