package io.pgha.provision.cli;

import io.pgha.provision.apply.Progress;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The live view: one line per host with its current step and the time since apply began. On a
 * terminal the lines are redrawn in place; otherwise each update is printed once, as a log.
 */
final class HostLines implements Progress {
    private final PrintWriter out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private final Map<String, String> lines = new LinkedHashMap<>();
    private int drawn;

    HostLines(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void update(String host, String line) {
        String stamped = String.format("%-16s %6.1f s  %s", host, (System.nanoTime() - started) / 1e9, line);
        lines.put(host, stamped);
        if (!terminal) {
            out.println(stamped);
        } else {
            if (drawn > 0) {
                out.print("\u001b[" + drawn + "F");
            }
            lines.values().forEach(l -> out.print("\u001b[2K" + l + "\n"));
            drawn = lines.size();
        }
        out.flush();
    }
}
