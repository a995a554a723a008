package io.pgha.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One process's resident memory, threads and CPU time so far, from {@code /proc}. */
public record ProcStat(long rssKb, int threads, long cpuTicks) {
    static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    public static ProcStat of(long pid) throws IOException {
        long rss = 0;
        int threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("\\D", ""));
            }
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15 of stat)
        return new ProcStat(rss, threads, ticks);
    }

    /** CPU used since {@code before}, as a percentage of one core over {@code seconds}. */
    public double cpuPercentSince(ProcStat before, double seconds) {
        return 100.0 * (cpuTicks - before.cpuTicks) / CLOCK_TICKS_PER_SECOND / seconds;
    }

    public double rssMb() {
        return rssKb / 1024.0;
    }
}
