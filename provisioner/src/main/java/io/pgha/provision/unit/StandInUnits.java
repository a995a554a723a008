package io.pgha.provision.unit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts and stops the main process of a systemd service unit on a host where systemd is not PID 1
 * (the provisioner's sandbox, a container): `pgha unit start pgha.service` runs the unit's
 * ExecStart as its User with its environment, detached in a session of its own, output appended
 * to a log, its PID recorded. It does not supervise: a process that exits stays down (systemd's
 * Restart= is not emulated), and `status` says so.
 */
public final class StandInUnits {
    static final List<Path> UNIT_DIRS = List.of(Path.of("/etc/systemd/system"), Path.of("/usr/lib/systemd/system"),
            Path.of("/lib/systemd/system"));
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final List<Path> unitDirs;
    private final Path stateDir;
    private final Path logDir;
    private final String hostName;
    private final boolean tmpfilesAtBoot;

    /** @param tmpfilesAtBoot run /run's tmpfiles.d entries at the first start (false where /run is not the host's own) */
    public StandInUnits(List<Path> unitDirs, Path stateDir, Path logDir, String hostName, boolean tmpfilesAtBoot) {
        this.unitDirs = List.copyOf(unitDirs);
        this.stateDir = stateDir;
        this.logDir = logDir;
        this.hostName = hostName;
        this.tmpfilesAtBoot = tmpfilesAtBoot;
    }

    /** The host's own layout: units where systemd looks, state in /run/pgha-units, logs in /var/log/pgha. */
    public static StandInUnits onThisHost() {
        return new StandInUnits(UNIT_DIRS, Path.of("/run/pgha-units"), Path.of("/var/log/pgha"), hostName(), true);
    }

    /** What `status` reports: the PID while the unit's process lives. */
    public record UnitState(String unit, Optional<Long> pid, Optional<Instant> since, boolean enabled, Path log) {
        public boolean active() {
            return pid.isPresent();
        }
    }

    public UnitFile load(String unit) {
        String name = unit.contains(".") ? unit : unit + ".service";
        for (Path dir : unitDirs) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                try {
                    return UnitFile.parse(name, Files.readString(file), hostName);
                } catch (IOException e) {
                    throw new UnitException(file + " unreadable: " + e.getMessage());
                }
            }
        }
        throw new UnitException("unit " + name + " not found in " + unitDirs);
    }

    /** Starts the unit unless its process already runs; returns its state. */
    public UnitState start(String unit) {
        UnitFile u = load(unit);
        UnitState now = status(u.name());
        if (now.active()) {
            return now;
        }
        bootOnce();
        Map<String, String> env = environment(u);
        List<String> command = new ArrayList<>(List.of("setsid"));
        if (u.user().isPresent() && !u.user().get().equals("root")) {
            command.addAll(List.of("setpriv", "--reuid=" + u.user().get(), "--regid=" + u.group().orElse(u.user().get()),
                    "--init-groups"));
            if (!u.ambientCapabilities().isEmpty()) {
                // setpriv's names: lower case, without CAP_; a capability must be inheritable to be ambient.
                String caps = String.join(",", u.ambientCapabilities().stream()
                        .map(c -> "+" + c.toLowerCase(Locale.ROOT).replaceFirst("^cap_", "")).toList());
                command.addAll(List.of("--inh-caps=" + caps, "--ambient-caps=" + caps));
            }
            command.add("--");
        }
        command.addAll(ExecLine.argv(u.execStart(), env));
        try {
            Files.createDirectories(stateDir);
            Files.createDirectories(logDir);
            Path log = logFile(u.name());
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(Path.of(u.workingDirectory().orElse("/")).toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            long startTime = ProcState.startTime(p.pid())
                    .orElseThrow(() -> new UnitException(u.name() + ": " + command.get(command.size() > 1 ? 1 : 0) + " exited at once; see " + log));
            Files.writeString(pidFile(u.name()), p.pid() + " " + startTime + "\n", StandardCharsets.UTF_8);
            return status(u.name());
        } catch (IOException e) {
            throw new UnitException(u.name() + " not started: " + e.getMessage());
        }
    }

    /**
     * The first start after the host booted (its /run is fresh, so the marker in the state dir is missing) does
     * what systemd does at boot for /run: the packages' tmpfiles.d entries (/run/haproxy,
     * /run/postgresql …) are created.
     */
    private void bootOnce() {
        Path booted = stateDir.resolve("booted");
        if (!tmpfilesAtBoot || Files.exists(booted) || !Files.isExecutable(Path.of("/usr/bin/systemd-tmpfiles"))) {
            return;
        }
        try {
            Process p = new ProcessBuilder("systemd-tmpfiles", "--create", "--prefix=/run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new UnitException("systemd-tmpfiles --create --prefix=/run did not finish within 60 s");
            }
            // A non-zero exit means some entry failed (e.g. a user that does not exist); the others were made.
            Files.createDirectories(stateDir);
            Files.writeString(booted, "");
        } catch (IOException e) {
            throw new UnitException("systemd-tmpfiles not runnable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnitException("interrupted while creating /run's directories");
        }
    }

    /** SIGTERM to the main process only (KillMode=process), SIGKILL after TimeoutStopSec. */
    public UnitState stop(String unit) {
        UnitFile u = load(unit);
        Optional<Long> pid = livePid(u.name());
        if (pid.isPresent()) {
            ProcessHandle h = ProcessHandle.of(pid.get()).orElse(null);
            if (h != null) {
                h.destroy();
                try {
                    h.onExit().get(u.timeoutStop().toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    h.destroyForcibly();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UnitException(u.name() + ": interrupted while stopping");
                } catch (ExecutionException e) {
                    // onExit does not fail
                }
                awaitGone(pid.get(), Duration.ofSeconds(10));
            }
        }
        try {
            Files.deleteIfExists(pidFile(u.name()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return status(u.name());
    }

    public UnitState restart(String unit) {
        stop(unit);
        return start(unit);
    }

    /** The marker `systemctl enable` would leave: the provisioner reads it back to know the unit is wanted. */
    public void enable(String unit) {
        UnitFile u = load(unit);
        try {
            Files.createDirectories(stateDir.resolve("enabled"));
            Files.writeString(stateDir.resolve("enabled").resolve(u.name()), "");
        } catch (IOException e) {
            throw new UnitException(u.name() + " not enabled: " + e.getMessage());
        }
    }

    /** Takes the marker away again: a disabled unit is not wanted on this host any more. */
    public void disable(String unit) {
        UnitFile u = load(unit);
        try {
            Files.deleteIfExists(stateDir.resolve("enabled").resolve(u.name()));
        } catch (IOException e) {
            throw new UnitException(u.name() + " not disabled: " + e.getMessage());
        }
    }

    public UnitState status(String unit) {
        String name = unit.contains(".") ? unit : unit + ".service";
        Optional<Long> pid = livePid(name);
        Optional<Instant> since = Optional.empty();
        if (pid.isPresent()) {
            since = ProcessHandle.of(pid.get()).flatMap(h -> h.info().startInstant());
        }
        return new UnitState(name, pid, since, Files.exists(stateDir.resolve("enabled").resolve(name)), logFile(name));
    }

    private Optional<Long> livePid(String name) {
        Path file = pidFile(name);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            String[] parts = Files.readString(file).strip().split(" ");
            long pid = Long.parseLong(parts[0]);
            long startTime = Long.parseLong(parts[1]);
            // A PID file outliving its process must not vouch for whatever got that PID next.
            return ProcState.startTime(pid).filter(t -> t == startTime).map(t -> pid);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Map<String, String> environment(UnitFile u) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("LANG", System.getenv().getOrDefault("LANG", "C.UTF-8"));
        u.user().ifPresent(user -> {
            env.put("USER", user);
            env.put("LOGNAME", user);
            Passwd.home(user).ifPresent(h -> env.put("HOME", h));
        });
        env.putAll(u.environment());
        for (UnitFile.EnvironmentFileRef ref : u.environmentFiles()) {
            Path file = Path.of(ref.path());
            if (!Files.isRegularFile(file)) {
                if (ref.optional()) {
                    continue;
                }
                throw new UnitException(u.name() + ": EnvironmentFile " + file + " does not exist");
            }
            try {
                env.putAll(EnvironmentFile.parse(Files.readString(file)));
            } catch (IOException e) {
                throw new UnitException(u.name() + ": EnvironmentFile " + file + " unreadable: " + e.getMessage());
            }
        }
        return env;
    }

    private Path pidFile(String name) {
        return stateDir.resolve(name + ".pid");
    }

    private Path logFile(String name) {
        return logDir.resolve(name + ".log");
    }

    private static void awaitGone(long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ProcState.startTime(pid).isPresent() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
