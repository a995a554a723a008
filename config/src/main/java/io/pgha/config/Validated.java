package io.pgha.config;

import java.util.List;
import java.util.Objects;

/**
 * A value that passed validation, or the problems that stopped it. Used where the caller decides
 * what a rejection means: at startup it is fatal, for a config change arriving from the DCS the
 * daemon keeps running on the last good value.
 */
public record Validated<T>(T value, List<ConfigProblem> problems) {
    public Validated {
        problems = List.copyOf(problems);
        if ((value == null) == problems.isEmpty()) {
            throw new IllegalArgumentException("exactly one of value or problems must be given");
        }
    }

    public static <T> Validated<T> valid(T value) {
        return new Validated<>(Objects.requireNonNull(value, "value"), List.of());
    }

    public static <T> Validated<T> invalid(List<ConfigProblem> problems) {
        return new Validated<>(null, problems);
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    /** The value, or a {@link ConfigException} listing every problem. */
    public T orElseThrow() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return value;
    }
}
