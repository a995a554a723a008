package io.pgha.rest;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte counts as health-check URLs write them ({@code ?lag=1048576}, {@code ?lag=10MB}): a whole
 * number with an optional PostgreSQL memory unit (B, kB, MB, GB, TB; powers of 1024). Units are
 * matched without regard to case, since {@code 10mb} can only mean one thing here.
 */
final class ByteSize {
    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,19})\\s*([A-Za-z]{0,2})\\s*");

    private ByteSize() {
    }

    /** Empty when the text is not a byte count (or overflows a long). */
    static OptionalLong parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        long multiplier;
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> multiplier = 1;
            case "kb" -> multiplier = 1L << 10;
            case "mb" -> multiplier = 1L << 20;
            case "gb" -> multiplier = 1L << 30;
            case "tb" -> multiplier = 1L << 40;
            default -> {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Math.multiplyExact(Long.parseLong(m.group(1)), multiplier));
        } catch (ArithmeticException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
