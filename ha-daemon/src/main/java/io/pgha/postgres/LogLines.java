package io.pgha.postgres;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The last line of a server log, read from its end so a large log costs nothing. */
final class LogLines {
    private LogLines() {
    }

    static String last(Path log) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, 4096);
            byte[] tail = new byte[n];
            f.seek(len - n);
            f.readFully(tail);
            String[] lines = new String(tail, StandardCharsets.UTF_8).strip().split("\n");
            return lines.length == 0 ? "" : lines[lines.length - 1].strip();
        } catch (IOException e) {
            return "";
        }
    }
}
