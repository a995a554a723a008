package io.pgha.haproxy.config;

import io.pgha.config.HaproxyCheckTiming;
import io.pgha.haproxy.service.Service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code haproxy} section of pgha.yml: where HAProxy's files and sockets are, what it listens
 * on, and the services. The defaults are Debian's haproxy package layout (its unit starts
 * {@code haproxy -Ws -S /run/haproxy-master.sock}) and Pigsty's ports.
 *
 * @param checkTiming  empty: take {@code inter/fastinter/downinter/rise/fall} from the cluster's rto preset
 * @param slowstart    Pigsty's {@code slowstart 30s}; zero leaves it out
 */
public record HaproxySettings(
        Path configFile,
        Path haproxyBin,
        Path runtimeSocket,
        Path masterSocket,
        Path stateFile,
        String bind,
        String statsListen,
        int maxconn,
        Duration slowstart,
        Optional<HaproxyCheckTiming> checkTiming,
        List<Service> services,
        Optional<Path> checkCaFile,
        Optional<Path> checkCrt,
        Optional<String> checkVerifyHost) {

    /** {@code check_verifyhost: member}: each server's check verifies its own member's REST host. */
    public static final String VERIFY_MEMBER_HOST = "member";

    /** Without CA or client certificate for health checks over HTTPS (they are then not verified). */
    public HaproxySettings(Path configFile, Path haproxyBin, Path runtimeSocket, Path masterSocket, Path stateFile, String bind,
                           String statsListen, int maxconn, Duration slowstart, Optional<HaproxyCheckTiming> checkTiming,
                           List<Service> services) {
        this(configFile, haproxyBin, runtimeSocket, masterSocket, stateFile, bind, statsListen, maxconn, slowstart, checkTiming,
                services, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static final Path CONFIG_FILE = Path.of("/etc/haproxy/haproxy.cfg");
    public static final Path HAPROXY_BIN = Path.of("/usr/sbin/haproxy");
    public static final Path RUNTIME_SOCKET = Path.of("/run/haproxy/admin.sock");
    public static final Path MASTER_SOCKET = Path.of("/run/haproxy-master.sock");
    public static final Path STATE_FILE = Path.of("/var/lib/haproxy/server-state");
    public static final String BIND = "*";
    public static final String STATS_LISTEN = "*:9101";
    public static final int MAXCONN = 65535;
    public static final Duration SLOWSTART = Duration.ofSeconds(30);

    public HaproxySettings {
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(haproxyBin, "haproxyBin");
        Objects.requireNonNull(runtimeSocket, "runtimeSocket");
        Objects.requireNonNull(masterSocket, "masterSocket");
        Objects.requireNonNull(stateFile, "stateFile");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(statsListen, "statsListen");
        Objects.requireNonNull(slowstart, "slowstart");
        Objects.requireNonNull(checkTiming, "checkTiming");
        services = List.copyOf(services);
        Objects.requireNonNull(checkCaFile, "checkCaFile");
        Objects.requireNonNull(checkCrt, "checkCrt");
        Objects.requireNonNull(checkVerifyHost, "checkVerifyHost");
    }

    public Optional<Service> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
