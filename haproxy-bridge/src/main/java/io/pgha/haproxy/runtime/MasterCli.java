package io.pgha.haproxy.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HAProxy's master CLI ({@code haproxy -W -S <socket>}): which processes run, and {@code reload},
 * after which the master re-executes itself, starts a worker on the new config and lets the old
 * worker finish its established connections.
 */
public final class MasterCli {
    private final UnixSocketCli cli;

    public MasterCli(Path socket, Duration timeout) {
        this.cli = new UnixSocketCli(socket, timeout);
    }

    public Path socket() {
        return cli.socket();
    }

    /**
     * The master, its reload count, and the current worker(s); old workers still draining are listed
     * apart. {@code workerUptime} is how long the youngest current worker has run (to the second, as
     * HAProxy reports it), zero when there is none.
     */
    public record Processes(long masterPid, int reloads, int failedReloads, List<Long> currentWorkers, List<Long> oldWorkers,
                            Duration workerUptime) {
        public Processes {
            currentWorkers = List.copyOf(currentWorkers);
            oldWorkers = List.copyOf(oldWorkers);
        }
    }

    private static final Pattern UPTIME = Pattern.compile("(\\d+)d(\\d+)h(\\d+)m(\\d+)s");

    public Processes processes() {
        return parse(cli.exchange("show proc"));
    }

    /**
     * Shuts down the sessions an old worker (one still serving connections from before a reload)
     * holds on {@code backend/server}. An old worker has stopped its proxies, so {@code shutdown
     * sessions server} is refused there ("Proxy is disabled"); its sessions are listed with
     * {@code show sess} and shut one by one, through the master ({@code @!<pid>}).
     *
     * @return how many sessions were shut down
     */
    public int shutdownSessionsInWorker(long workerPid, String backend, String server) {
        String list = cli.exchange("@!" + workerPid + " show sess");
        String marker = " be=" + backend + " srv=" + server + " ";
        int n = 0;
        for (String line : list.split("\n")) {
            int colon = line.indexOf(':');
            if (line.startsWith("0x") && colon > 0 && line.contains(marker)) {
                cli.exchange("@!" + workerPid + " shutdown session " + line.substring(0, colon));
                n++;
            }
        }
        return n;
    }

    public void reload() {
        // 2.6 answers nothing and closes; success shows as a new current worker in show proc.
        cli.exchange("reload");
    }

    /**
     * <pre>
     * #&lt;PID&gt;  &lt;type&gt;  &lt;reloads&gt;  &lt;uptime&gt;  &lt;version&gt;
     * 15625  master  1 [failed: 0]  0d00h10m15s  2.6.12
     * # workers
     * 29735  worker  0  0d00h00m01s  2.6.12
     * # old workers
     * 15628  worker  1  ...
     * # programs
     * </pre>
     */
    static Processes parse(String answer) {
        long master = -1;
        int reloads = 0;
        int failed = 0;
        List<Long> current = new ArrayList<>();
        List<Long> old = new ArrayList<>();
        Duration youngest = null;
        String section = "";
        for (String raw : answer.split("\n")) {
            String l = raw.strip();
            if (l.startsWith("# ")) {
                section = l.substring(2);
                continue;
            }
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\\s+");
            if (f.length < 3 || !f[0].matches("[0-9]+")) {
                continue;
            }
            long pid = Long.parseLong(f[0]);
            if (f[1].equals("master")) {
                master = pid;
                reloads = Integer.parseInt(f[2]);
                int at = l.indexOf("[failed: ");
                if (at >= 0) {
                    failed = Integer.parseInt(l.substring(at + 9, l.indexOf(']', at)).strip());
                }
            } else if (f[1].equals("worker")) {
                boolean isOld = section.startsWith("old");
                (isOld ? old : current).add(pid);
                Duration up = f.length > 3 ? uptime(f[3]) : Duration.ZERO;
                if (!isOld && (youngest == null || up.compareTo(youngest) < 0)) {
                    youngest = up;
                }
            }
        }
        if (master < 0) {
            throw new HaproxyRejectedException("show proc", answer.isBlank() ? "(no answer)" : answer);
        }
        return new Processes(master, reloads, failed, current, old, youngest == null ? Duration.ZERO : youngest);
    }

    /** {@code 0d00h10m15s}; anything else counts as just started, which only ever costs a reload. */
    static Duration uptime(String field) {
        Matcher m = UPTIME.matcher(field);
        if (!m.matches()) {
            return Duration.ZERO;
        }
        return Duration.ofDays(Long.parseLong(m.group(1))).plusHours(Long.parseLong(m.group(2)))
                .plusMinutes(Long.parseLong(m.group(3))).plusSeconds(Long.parseLong(m.group(4)));
    }
}
