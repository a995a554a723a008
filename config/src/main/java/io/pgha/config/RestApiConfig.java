package io.pgha.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code restapi} section. {@code connectAddress} is what peers and {@code api_url} in the
 * member key use, so it must be reachable from other nodes.
 */
public record RestApiConfig(
        HostPort listen,
        HostPort connectAddress,
        Optional<Credentials> authentication,
        List<String> allowlist,
        Optional<Path> certfile,
        Optional<Path> keyfile,
        Optional<Path> cafile,
        Optional<VerifyClient> verifyClient,
        boolean allowlistIncludeMembers) {

    /** Patroni's {@code verify_client}: must a client show a certificate from {@code cafile}, or may it? */
    public enum VerifyClient { REQUIRED, OPTIONAL }

    /** Without client certificate verification. */
    public RestApiConfig(HostPort listen, HostPort connectAddress, Optional<Credentials> authentication, List<String> allowlist,
                         Optional<Path> certfile, Optional<Path> keyfile, Optional<Path> cafile) {
        this(listen, connectAddress, authentication, allowlist, certfile, keyfile, cafile, Optional.empty());
    }

    /** Without {@code allowlist_include_members}. */
    public RestApiConfig(HostPort listen, HostPort connectAddress, Optional<Credentials> authentication, List<String> allowlist,
                         Optional<Path> certfile, Optional<Path> keyfile, Optional<Path> cafile, Optional<VerifyClient> verifyClient) {
        this(listen, connectAddress, authentication, allowlist, certfile, keyfile, cafile, verifyClient, false);
    }

    /** Whether unsafe calls are checked against a list of addresses at all (Patroni: either key set). */
    public boolean restrictsClients() {
        return !allowlist.isEmpty() || allowlistIncludeMembers;
    }

    public static final HostPort DEFAULT_LISTEN = new HostPort("0.0.0.0", 8008);

    static final Keys KEYS = Keys.of("listen", "connect_address", "authentication", "allowlist", "certfile", "keyfile", "cafile",
                    "verify_client", "allowlist_include_members")
            .unsupported("keyfile_password", "ciphers", "http_extra_headers",
                    "https_extra_headers", "request_queue_size", "thread_pool_size", "server_tokens");
    private static final Keys AUTH_KEYS = Keys.of("username", "password");

    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    public RestApiConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(connectAddress, "connectAddress");
        Objects.requireNonNull(authentication, "authentication");
        allowlist = List.copyOf(allowlist);
        Objects.requireNonNull(certfile, "certfile");
        Objects.requireNonNull(keyfile, "keyfile");
        Objects.requireNonNull(cafile, "cafile");
        Objects.requireNonNull(verifyClient, "verifyClient");
    }

    /** Null when the section had problems (they are in the node's collector). */
    static RestApiConfig read(Node n) {
        int mark = n.problems().mark();
        if (!n.mapping(KEYS)) {
            return null;
        }
        HostPort listen = n.get("listen").hostPort().orElse(DEFAULT_LISTEN);
        Optional<HostPort> connect = n.get("connect_address").required().hostPort();
        Node auth = n.get("authentication");
        Optional<Credentials> credentials = auth.mapping(AUTH_KEYS) ? Credentials.readPair(auth) : Optional.empty();
        List<String> allowlist = allowlist(n.get("allowlist"));
        Optional<Path> certfile = n.get("certfile").filePath();
        Optional<Path> keyfile = n.get("keyfile").filePath();
        Optional<Path> cafile = n.get("cafile").filePath();
        if (n.get("keyfile").isPresent() && !n.get("certfile").isPresent()) {
            n.get("certfile").problem("required together with keyfile");
        }
        Optional<VerifyClient> verify = n.get("verify_client").oneOf("required", "optional", "none")
                .filter(v -> !v.equals("none")).map(v -> VerifyClient.valueOf(v.toUpperCase(Locale.ROOT)));
        if (verify.isPresent() && (cafile.isEmpty() || certfile.isEmpty())) {
            n.get("verify_client").problem("needs certfile (the API must serve HTTPS) and cafile (the CA client certificates must come from)");
        }
        boolean includeMembers = n.get("allowlist_include_members").bool(false);
        if (n.problems().addedSince(mark)) {
            return null;
        }
        return new RestApiConfig(listen, connect.orElseThrow(), credentials, allowlist, certfile, keyfile, cafile, verify, includeMembers);
    }

    private static List<String> allowlist(Node n) {
        List<String> out = new ArrayList<>();
        for (Node item : n.items()) {
            item.required().string().map(String::trim).ifPresent(s -> {
                if (isAddressOrNetwork(s)) {
                    out.add(s);
                } else {
                    item.problem("expected an IP address, CIDR network or host name, got " + Values.describe(s));
                }
            });
        }
        return out;
    }

    static boolean isAddressOrNetwork(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return IPV4.matcher(s).matches() || IPV6.matcher(s).matches() || HOST_NAME.matcher(s).matches();
        }
        String address = s.substring(0, slash);
        String bits = s.substring(slash + 1);
        if (!bits.matches("[0-9]{1,3}")) {
            return false;
        }
        int prefix = Integer.parseInt(bits);
        if (IPV4.matcher(address).matches()) {
            return prefix <= 32;
        }
        return IPV6.matcher(address).matches() && prefix <= 128;
    }
}
