package io.pgha.config;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@code host:port} pair. IPv6 literals are written in brackets ({@code [::1]:8008}) and kept
 * without them in {@link #host()}.
 */
public record HostPort(String host, int port) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
    }

    /** One host name, IPv4 address or bracketed IPv6 address, then a port. */
    public static Optional<HostPort> parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        Optional<Integer> port = port(text.substring(colon + 1));
        Optional<String> host = host(text.substring(0, colon));
        return port.isPresent() && host.isPresent() ? Optional.of(new HostPort(host.get(), port.get())) : Optional.empty();
    }

    /**
     * PostgreSQL's listen form, as Patroni takes it: everything before the last colon becomes
     * listen_addresses, so it may be {@code *} or a comma-separated list of addresses.
     */
    public static Optional<HostPort> parseListen(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        Optional<Integer> port = port(text.substring(colon + 1));
        String hosts = text.substring(0, colon);
        if (port.isEmpty()) {
            return Optional.empty();
        }
        if (hosts.equals("*")) {
            return Optional.of(new HostPort("*", port.get()));
        }
        StringBuilder joined = new StringBuilder();
        for (String item : hosts.split(",", -1)) {
            Optional<String> h = host(item.trim());
            if (h.isEmpty()) {
                return Optional.empty();
            }
            joined.append(joined.length() == 0 ? "" : ",").append(h.get());
        }
        return Optional.of(new HostPort(joined.toString(), port.get()));
    }

    private static Optional<Integer> port(String text) {
        if (!PORT.matcher(text).matches()) {
            return Optional.empty();
        }
        int p = Integer.parseInt(text);
        return p >= 1 && p <= 65535 ? Optional.of(p) : Optional.empty();
    }

    private static Optional<String> host(String text) {
        if (text.startsWith("[") && text.endsWith("]")) {
            String inner = text.substring(1, text.length() - 1);
            return IPV6.matcher(inner).matches() ? Optional.of(inner) : Optional.empty();
        }
        return NAME.matcher(text).matches() ? Optional.of(text) : Optional.empty();
    }

    @Override
    public String toString() {
        boolean bareIpv6 = host.contains(":") && !host.contains(",");
        return (bareIpv6 ? "[" + host + "]" : host) + ":" + port;
    }
}
