package io.pgha.provision.inventory;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Host keys, VIPs and CIDRs, parsed without name resolution: reading an inventory must not depend
 * on DNS, and {@link InetAddress#getByName} would resolve a name (and read {@code 10.1} as 10.0.0.1).
 */
final class Addresses {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");

    /** An IP address as a number with its width, so prefixes of either family compare the same way. */
    record Ip(BigInteger value, int bits, String text) {
        boolean isV4() {
            return bits == 32;
        }

        boolean inside(Ip network, int prefix) {
            if (bits != network.bits) {
                return false;
            }
            int shift = bits - prefix;
            return value.shiftRight(shift).equals(network.value.shiftRight(shift));
        }
    }

    private Addresses() {
    }

    static Optional<Ip> ip(String s) {
        if (IPV4.matcher(s).matches()) {
            return Optional.of(new Ip(toNumber(literal(s)), 32, s));
        }
        if (s.contains(":") && s.matches("[0-9A-Fa-f:.]+")) {
            try {
                return Optional.of(new Ip(toNumber(InetAddress.getByName(s).getAddress()), 128, s));
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** An RFC 1123 host name; all-numeric names are refused, they are mistyped IPv4 addresses. */
    static boolean isHostname(String s) {
        if (s.isEmpty() || s.length() > 253 || DIGITS_AND_DOTS.matcher(s).matches()) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    static boolean isHost(String s) {
        return ip(s).isPresent() || isHostname(s);
    }

    /** {@code 10.0.0.0/8} or {@code fd00::/8}: the address and the prefix, or empty. */
    static Optional<Cidr> cidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        Optional<Ip> ip = ip(s.substring(0, slash));
        String bits = s.substring(slash + 1);
        if (ip.isEmpty() || !bits.matches("\\d{1,3}")) {
            return Optional.empty();
        }
        int prefix = Integer.parseInt(bits);
        return prefix > ip.get().bits() ? Optional.empty() : Optional.of(new Cidr(ip.get(), prefix));
    }

    record Cidr(Ip ip, int prefix) {
        boolean contains(Ip other) {
            return other.inside(ip, prefix);
        }
    }

    /** {@code /32} or {@code /128}: one host, as pg_hba.conf wants an address written. */
    static String hostCidr(String address) {
        return ip(address).map(ip -> ip.text() + "/" + ip.bits()).orElse(address);
    }

    private static byte[] literal(String v4) {
        String[] parts = v4.split("\\.");
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) Integer.parseInt(parts[i]);
        }
        return out;
    }

    private static BigInteger toNumber(byte[] bytes) {
        return new BigInteger(1, bytes);
    }
}
