package io.pgha.vip.net;

import java.util.HexFormat;

/** A 6-byte Ethernet address, printed the way {@code ip link} prints it. */
public record MacAddress(String text) {
    private static final HexFormat HEX = HexFormat.ofDelimiter(":");

    public MacAddress {
        if (!text.matches("([0-9a-f]{2}:){5}[0-9a-f]{2}")) {
            throw new IllegalArgumentException("not an Ethernet address: " + text);
        }
    }

    public static MacAddress of(byte[] bytes) {
        if (bytes.length != 6) {
            throw new IllegalArgumentException("an Ethernet address has 6 bytes, got " + bytes.length);
        }
        return new MacAddress(HEX.formatHex(bytes));
    }

    public byte[] bytes() {
        return HEX.parseHex(text);
    }

    public boolean isZero() {
        return text.equals("00:00:00:00:00:00");
    }

    @Override
    public String toString() {
        return text;
    }
}
