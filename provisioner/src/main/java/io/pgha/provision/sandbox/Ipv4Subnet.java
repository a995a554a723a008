package io.pgha.provision.sandbox;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** An IPv4 subnet: its network address and prefix length, and the arithmetic the sandbox needs. */
record Ipv4Subnet(int network, int prefixLength) {
    static Ipv4Subnet of(String address, int prefixLength) {
        return new Ipv4Subnet(parse(address) & mask(prefixLength), prefixLength);
    }

    /** {@code a.b.c.d/n}, or a bare address as a /32. */
    static Ipv4Subnet parseCidr(String cidr) {
        int slash = cidr.indexOf('/');
        return slash < 0 ? of(cidr, 32) : of(cidr.substring(0, slash), Integer.parseInt(cidr.substring(slash + 1)));
    }

    static int parse(String address) {
        String[] parts = address == null ? new String[0] : address.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        int value = 0;
        for (String p : parts) {
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + address);
            }
            value = (value << 8) | Integer.parseInt(p);
        }
        return value;
    }

    static String format(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    private static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    int broadcast() {
        return network | ~mask(prefixLength);
    }

    boolean contains(String address) {
        return (parse(address) & mask(prefixLength)) == network;
    }

    boolean overlaps(Ipv4Subnet other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        return (network & mask(shorter)) == (other.network & mask(shorter));
    }

    void checkHost(String address) {
        if (!contains(address)) {
            throw new IllegalArgumentException(address + " is not in " + this + ": every sandbox host must be in one subnet");
        }
        int a = parse(address);
        if (a == network || a == broadcast()) {
            throw new IllegalArgumentException(address + " is the network or broadcast address of " + this);
        }
    }

    /** The first usable address that none of {@code taken} uses: where the bridge goes. */
    String firstFree(Collection<String> taken) {
        Set<Integer> used = new HashSet<>();
        taken.forEach(t -> used.add(parse(t)));
        for (int a = network + 1; a < broadcast(); a++) {
            if (!used.contains(a)) {
                return format(a);
            }
        }
        throw new IllegalArgumentException(this + " has no address left for the bridge");
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefixLength;
    }
}
