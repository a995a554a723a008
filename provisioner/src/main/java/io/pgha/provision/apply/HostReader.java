package io.pgha.provision.apply;

import io.pgha.provision.plan.Change;
import io.pgha.provision.plan.DesiredDirectory;
import io.pgha.provision.plan.DesiredFile;
import io.pgha.provision.plan.HostDesired;
import io.pgha.provision.plan.Observed;
import io.pgha.provision.plan.Planner;
import io.pgha.provision.transport.Transport;
import io.pgha.provision.transport.TransportException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.pgha.provision.transport.Shell.quote;

/**
 * Reads what a host holds of what it must hold, in one command per kind (files, packages, units),
 * so that planning a host costs three round trips however many files it has.
 */
public final class HostReader {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private HostReader() {
    }

    public static Observed read(Transport t, HostDesired want) {
        boolean systemd = t.run("test -d /run/systemd/system", TIMEOUT).ok();
        return new Observed(t.host(), systemd, directories(t, want.directories().stream().map(DesiredDirectory::path).toList()),
                files(t, want.files().stream().map(DesiredFile::path).toList()),
                packages(t, want.packages()), units(t, want.units(), systemd));
    }

    static Map<String, Optional<Observed.FileState>> files(Transport t, List<String> paths) {
        return stat(t, paths, true);
    }

    static Map<String, Optional<Observed.FileState>> directories(Transport t, List<String> paths) {
        return stat(t, paths, false);
    }

    /**
     * One script for all paths: per path a line "M" (missing) or "%a %U %G", and for a file a
     * second line with its content in base64 (so that any bytes survive the line protocol).
     */
    private static Map<String, Optional<Observed.FileState>> stat(Transport t, List<String> paths, boolean withContent) {
        Map<String, Optional<Observed.FileState>> out = new HashMap<>();
        if (paths.isEmpty()) {
            return out;
        }
        StringBuilder script = new StringBuilder();
        for (String p : paths) {
            String q = quote(p);
            script.append("if [ ").append(withContent ? "-f " : "-d ").append(q).append(" ]; then stat -c '%a %U %G' ").append(q)
                    .append(withContent ? "; base64 -w0 " + q + "; echo" : "").append("; else echo M; fi\n");
        }
        Transport.Exec r = t.run(script.toString(), TIMEOUT);
        if (!r.ok()) {
            throw new TransportException(t.host() + ": reading " + paths + " failed: " + r.stderr().strip());
        }
        String[] lines = r.stdout().split("\n", -1);
        int i = 0;
        for (String p : paths) {
            String head = lines[i++];
            if (head.equals("M")) {
                out.put(p, Optional.empty());
                continue;
            }
            String[] f = head.split(" ");
            String content = withContent ? new String(Base64.getDecoder().decode(lines[i++].strip()), StandardCharsets.UTF_8) : "";
            out.put(p, Optional.of(new Observed.FileState(content, mode(f[0]), f[1], f[2])));
        }
        return out;
    }

    static Map<String, Optional<String>> packages(Transport t, List<String> specs) {
        Map<String, Optional<String>> out = new HashMap<>();
        for (String spec : specs) {
            String name = spec.contains("=") ? spec.substring(0, spec.indexOf('=')) : spec;
            String q = quote(name);
            Transport.Exec r = t.run("if command -v dpkg-query >/dev/null; then dpkg-query -W -f='${Status}|${Version}' " + q
                    + " 2>/dev/null | sed -n 's/^install ok installed|//p'; else rpm -q --qf '%{VERSION}-%{RELEASE}' " + q
                    + " 2>/dev/null | grep -v 'not installed'; fi", TIMEOUT);
            String v = r.stdout().strip();
            out.put(name, v.isEmpty() ? Optional.empty() : Optional.of(v));
        }
        return out;
    }

    static Map<String, Observed.UnitStatus> units(Transport t, List<String> units, boolean systemd) {
        Map<String, Observed.UnitStatus> out = new HashMap<>();
        for (String u : units) {
            String q = quote(u);
            if (systemd) {
                boolean enabled = t.run("systemctl is-enabled --quiet " + q, TIMEOUT).ok();
                boolean active = t.run("systemctl is-active --quiet " + q, TIMEOUT).ok();
                out.put(u, new Observed.UnitStatus(enabled, active));
            } else {
                // Before pgha is installed there is no `pgha unit`: the unit is then neither enabled nor running.
                Transport.Exec r = t.run("command -v pgha >/dev/null && pgha unit status " + q, TIMEOUT);
                out.put(u, new Observed.UnitStatus(r.stdout().contains(", enabled"), r.ok()));
            }
        }
        return out;
    }

    private static String mode(String octal) {
        return octal.length() >= 4 ? octal : "0".repeat(4 - octal.length()) + octal;
    }

    /** Read and plan in one: the host's changes. */
    public static List<Change> plan(Transport t, HostDesired want) {
        return Planner.plan(want, read(t, want));
    }
}
