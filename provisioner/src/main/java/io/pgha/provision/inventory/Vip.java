package io.pgha.provision.inventory;

import java.util.Objects;

/**
 * The cluster's L2 VIP, held by the primary ({@code pg_vip_address: 10.10.10.3/24},
 * {@code pg_vip_interface}); {@code address} is without the prefix.
 */
public record Vip(String address, int prefixLength, String interfaceName) {
    public Vip {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(interfaceName, "interfaceName");
    }

    /** As {@code ip addr add} takes it. */
    public String cidr() {
        return address + "/" + prefixLength;
    }
}
