package io.pgha.chaos;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the faults need to know about processes and their sockets, read from /proc: a process's state
 * and parent (to find PostgreSQL's backends, which call setsid and so leave the postmaster's process
 * group), and a process's TCP connections (to cut the ones an etcd member already holds).
 */
final class Procs {
    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");

    private Procs() {
    }

    /** Fields 3, 4 and 22 of /proc/&lt;pid&gt;/stat: state letter, parent PID, start time in clock ticks. */
    record Stat(char state, long ppid, long startTime) {
        /** Stopped by a signal (T) or in a tracing stop (t). */
        boolean stopped() {
            return state == 'T' || state == 't';
        }

        /** A zombie (Z) or dead (X): nothing left to stop or continue. */
        boolean gone() {
            return state == 'Z' || state == 'X';
        }
    }

    /** One line of /proc/net/tcp or tcp6: the ports, the TCP state (01 = established) and the socket's inode. */
    record TcpSocket(int localPort, int remotePort, int state, long inode) {
        static final int ESTABLISHED = 1;
    }

    static Stat parseStat(String text) {
        // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
        String[] rest = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        // rest[0] is field 3 (state), rest[1] field 4 (ppid), rest[19] field 22 (starttime).
        return new Stat(rest[0].charAt(0), Long.parseLong(rest[1]), Long.parseLong(rest[19]));
    }

    static Optional<Stat> stat(long pid) {
        try {
            return Optional.of(parseStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone, or vanished while being read
        }
    }

    /** The live (not zombie) children of {@code ppid}, by scanning every /proc/&lt;pid&gt;/stat. */
    static List<Long> children(long ppid) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path d : dirs) {
                long pid = Long.parseLong(d.getFileName().toString());
                stat(pid).filter(s -> s.ppid() == ppid && !s.gone()).ifPresent(s -> out.add(pid));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return out;
    }

    /** /proc/net/tcp(6) lines after the header; addresses are not needed, only ports, state and inode. */
    static List<TcpSocket> parseTcp(String text) {
        List<TcpSocket> out = new ArrayList<>();
        for (String line : text.lines().skip(1).toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10) {
                continue;
            }
            // f[1] local "ADDR:PORT", f[2] remote, f[3] state, f[9] inode; ports are hex.
            int local = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16);
            int remote = Integer.parseInt(f[2].substring(f[2].lastIndexOf(':') + 1), 16);
            out.add(new TcpSocket(local, remote, Integer.parseInt(f[3], 16), Long.parseLong(f[9])));
        }
        return out;
    }

    /** The inodes of the sockets {@code pid} holds open (links "socket:[inode]" under /proc/&lt;pid&gt;/fd). */
    static Set<Long> socketInodes(long pid) {
        Set<Long> out = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    Matcher m = SOCKET_LINK.matcher(Files.readSymbolicLink(fd).toString());
                    if (m.matches()) {
                        out.add(Long.parseLong(m.group(1)));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the descriptors of " + pid, e);
        }
        return out;
    }

    /** The TCP sockets {@code pid} holds, from its network namespace's /proc/&lt;pid&gt;/net/tcp and tcp6. */
    static List<TcpSocket> tcpSockets(long pid) {
        Set<Long> inodes = socketInodes(pid);
        List<TcpSocket> out = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            try {
                parseTcp(Files.readString(Path.of("/proc", Long.toString(pid), "net", table))).stream()
                        .filter(s -> inodes.contains(s.inode())).forEach(out::add);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the " + table + " sockets of " + pid, e);
            }
        }
        return out;
    }
}
