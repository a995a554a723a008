package io.pgha.provision.inventory;

import io.pgha.config.Node;
import io.pgha.config.Values;

import java.util.List;
import java.util.Optional;

/**
 * {@code pg_vip_enabled}, {@code pg_vip_address}, {@code pg_vip_interface}. The VIP moves to whichever
 * member is primary, so it must be an address every member can hold on its own L2 segment.
 */
final class VipReader {
    private VipReader() {
    }

    static Optional<Vip> read(Scope vars, List<PgHost> hosts) {
        Node enabledNode = vars.get("pg_vip_enabled");
        boolean enabled = Read.bool(enabledNode, false);
        Node addressNode = vars.get("pg_vip_address");
        Optional<Addresses.Cidr> cidr = addressNode.string().flatMap(s -> {
            Optional<Addresses.Cidr> c = Addresses.cidr(s);
            if (c.isEmpty()) {
                addressNode.problem("expected an address with its prefix length, like 10.10.10.3/24, got " + Values.describe(s));
            }
            return c;
        });
        if (!enabled) {
            return Optional.empty();
        }
        Node ifaceNode = vars.get("pg_vip_interface");
        if (!addressNode.isPresent()) {
            addressNode.problem("required when pg_vip_enabled is true: the VIP with its prefix, like 10.10.10.3/24");
        }
        if (!ifaceNode.isPresent()) {
            ifaceNode.problem("required when pg_vip_enabled is true: the network interface the VIP is added to, like eth1");
        }
        Optional<String> iface = ifaceNode.string().filter(s -> {
            if (s.equals("auto")) {
                ifaceNode.problem("pgha does not resolve auto: name the interface that carries the members' addresses, like eth1");
                return false;
            }
            return true;
        });
        if (cidr.isEmpty() || iface.isEmpty()) {
            return Optional.empty();
        }
        if (!fitsHosts(cidr.get(), hosts, addressNode)) {
            return Optional.empty();
        }
        return Optional.of(new Vip(cidr.get().ip().text(), cidr.get().prefix(), iface.get()));
    }

    private static boolean fitsHosts(Addresses.Cidr vip, List<PgHost> hosts, Node at) {
        boolean ok = true;
        for (PgHost h : hosts) {
            Optional<Addresses.Ip> ip = Addresses.ip(h.address());
            if (ip.isEmpty()) {
                continue; // a host name: its address is not known before it is resolved on the host
            }
            if (ip.get().value().equals(vip.ip().value()) && ip.get().bits() == vip.ip().bits()) {
                at.problem("the VIP " + vip.ip().text() + " is the address of member " + h.address()
                        + ": pick a free address in the members' subnet");
                ok = false;
            } else if (!vip.contains(ip.get())) {
                at.problem(vip.ip().text() + "/" + vip.prefix() + " does not contain member " + h.address()
                        + ": the VIP must be in the subnet of every member so that it can move to any of them");
                ok = false;
            }
        }
        return ok;
    }
}
