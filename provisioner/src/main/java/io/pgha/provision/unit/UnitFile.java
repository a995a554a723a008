package io.pgha.provision.unit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of a systemd service unit that starting and stopping its main process needs: ExecStart,
 * User/Group, Environment and EnvironmentFile, WorkingDirectory, TimeoutStopSec, AmbientCapabilities
 * (pgha-vip needs CAP_NET_ADMIN and CAP_NET_RAW as user postgres). Everything else in
 * the file (hardening, dependencies, Restart=) is systemd's business and read by nobody here.
 */
public record UnitFile(String name, String execStart, Optional<String> user, Optional<String> group,
                       Map<String, String> environment, List<EnvironmentFileRef> environmentFiles,
                       Optional<String> workingDirectory, Duration timeoutStop, List<String> ambientCapabilities) {

    /** An EnvironmentFile= line; a leading '-' makes a missing file no error. */
    public record EnvironmentFileRef(String path, boolean optional) {
    }

    public UnitFile {
        environment = Map.copyOf(environment);
        environmentFiles = List.copyOf(environmentFiles);
        ambientCapabilities = List.copyOf(ambientCapabilities);
    }

    /** The unit name without ".service" (systemd's %p for a plain unit). */
    public String prefix() {
        return name.endsWith(".service") ? name.substring(0, name.length() - ".service".length()) : name;
    }

    /** Parses the [Service] section; names the line of anything it cannot use. */
    public static UnitFile parse(String name, String text, String hostName) {
        String section = "";
        String exec = null;
        Optional<String> user = Optional.empty();
        Optional<String> group = Optional.empty();
        Map<String, String> env = new LinkedHashMap<>();
        List<EnvironmentFileRef> files = new ArrayList<>();
        Optional<String> workDir = Optional.empty();
        Duration timeoutStop = Duration.ofSeconds(90); // systemd's DefaultTimeoutStopSec
        List<String> caps = new ArrayList<>();
        Specifiers specifiers = new Specifiers(name, hostName);
        List<String> lines = joinContinuations(text);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new UnitException(name + ": line " + (i + 1) + " is neither a section nor Key=value: " + line);
            }
            if (!section.equals("Service")) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = specifiers.expand(line.substring(eq + 1).strip());
            switch (key) {
                case "ExecStart" -> exec = value.isEmpty() ? null : value;
                case "User" -> user = Optional.of(value);
                case "Group" -> group = Optional.of(value);
                case "Environment" -> env.putAll(EnvironmentFile.assignments(value));
                case "EnvironmentFile" -> files.add(value.startsWith("-")
                        ? new EnvironmentFileRef(value.substring(1), true) : new EnvironmentFileRef(value, false));
                case "WorkingDirectory" -> workDir = Optional.of(value.startsWith("-") ? value.substring(1) : value);
                case "TimeoutStopSec" -> timeoutStop = seconds(name, value);
                case "AmbientCapabilities" -> {
                    if (value.isEmpty()) {
                        caps.clear(); // an empty assignment resets the list, as in systemd
                    } else {
                        caps.addAll(List.of(value.split("\\s+")));
                    }
                }
                default -> { }
            }
        }
        if (exec == null) {
            throw new UnitException(name + ": no ExecStart= in [Service]");
        }
        return new UnitFile(name, stripPrefixes(exec), user, group, env, files, workDir, timeoutStop, caps);
    }

    /** ExecStart's "-", "@", "+", "!" prefixes change how systemd runs the command, not the command. */
    private static String stripPrefixes(String exec) {
        int i = 0;
        while (i < exec.length() && "-@+!:".indexOf(exec.charAt(i)) >= 0) {
            i++;
        }
        return exec.substring(i);
    }

    private static Duration seconds(String name, String value) {
        String v = value.strip();
        try {
            if (v.endsWith("min")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 3).strip()));
            }
            if (v.endsWith("s")) {
                v = v.substring(0, v.length() - 1);
            }
            return Duration.ofSeconds(Long.parseLong(v.strip()));
        } catch (NumberFormatException e) {
            throw new UnitException(name + ": TimeoutStopSec=" + value + " is not seconds (e.g. 90 or 90s or 2min)");
        }
    }

    private static List<String> joinContinuations(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : text.split("\n", -1)) {
            if (raw.endsWith("\\")) {
                pending.append(raw, 0, raw.length() - 1).append(' ');
                continue;
            }
            pending.append(raw);
            out.add(pending.toString());
            pending.setLength(0);
        }
        return out;
    }
}
