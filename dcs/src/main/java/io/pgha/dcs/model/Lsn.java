package io.pgha.dcs.model;

/** PostgreSQL log sequence numbers: Patroni stores them as integers, PostgreSQL prints {@code 0/4000060}. */
public final class Lsn {
    private Lsn() {
    }

    public static long parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 1 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not an LSN (expected hi/lo in hex, like 0/4000060): '" + text + "'");
        }
        long hi = Long.parseLong(text.substring(0, slash), 16);
        long lo = Long.parseLong(text.substring(slash + 1), 16);
        if (hi > 0xFFFFFFFFL || lo > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("LSN half out of range: '" + text + "'");
        }
        return (hi << 32) | lo;
    }

    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }
}
