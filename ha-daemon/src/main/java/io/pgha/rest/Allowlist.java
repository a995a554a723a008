package io.pgha.rest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code restapi.allowlist}: which client addresses may call unsafe endpoints. Entries are IP
 * addresses, CIDR networks (v4 and v6) and host names. Host names are resolved once, when the API
 * starts, so a DNS outage cannot lock operators out mid-incident nor make each request wait on DNS.
 */
final class Allowlist {
    private static final Logger log = LoggerFactory.getLogger(Allowlist.class);
    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final List<Network> networks;

    private Allowlist(List<Network> networks) {
        this.networks = List.copyOf(networks);
    }

    static Allowlist resolve(List<String> entries) {
        List<Network> out = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.trim();
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            try {
                if (isLiteral(host)) {
                    InetAddress a = InetAddress.getByName(host); // a literal: no DNS lookup
                    int bits = a.getAddress().length * 8;
                    int prefix = slash < 0 ? bits : Integer.parseInt(entry.substring(slash + 1));
                    if (prefix < 0 || prefix > bits) {
                        log.warn("restapi.allowlist: ignoring {}: prefix longer than the address", entry);
                        continue;
                    }
                    out.add(new Network(a.getAddress(), prefix));
                } else if (slash < 0) {
                    for (InetAddress a : InetAddress.getAllByName(host)) {
                        out.add(new Network(a.getAddress(), a.getAddress().length * 8));
                    }
                } else {
                    log.warn("restapi.allowlist: ignoring {}: a prefix needs an IP address, not a host name", entry);
                }
            } catch (UnknownHostException | NumberFormatException e) {
                log.warn("restapi.allowlist: ignoring {}: {}", entry, e.getMessage());
            }
        }
        return new Allowlist(out);
    }

    static boolean isLiteral(String host) {
        return host.contains(":") || IPV4_LITERAL.matcher(host).matches();
    }

    boolean permits(InetAddress client) {
        for (Network n : networks) {
            if (n.contains(client)) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return networks.size();
    }

    private record Network(byte[] address, int prefix) {
        boolean contains(InetAddress client) {
            byte[] c = client.getAddress();
            if (c.length != address.length) {
                // An IPv4 client seen through an IPv6 socket arrives as ::ffff:a.b.c.d; Java already
                // hands it over as an Inet4Address, so differing lengths really are different families.
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (c[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (c[full] & mask) == (address[full] & mask);
        }
    }
}
