package io.pgha.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Collects problems during one pass over a configuration, so all of them can be reported together. */
public final class Problems {
    private final List<ConfigProblem> list = new ArrayList<>();
    /** config path → environment variable that supplied it, so a bad value points at the right place. */
    private final Map<String, String> fromEnvironment;

    public Problems() {
        this(Map.of());
    }

    Problems(Map<String, String> fromEnvironment) {
        this.fromEnvironment = Map.copyOf(fromEnvironment);
    }

    public void add(String path, String message) {
        list.add(new ConfigProblem(path, message + envNote(path)));
    }

    public void addAll(List<ConfigProblem> problems) {
        problems.forEach(p -> add(p.path(), p.message()));
    }

    private String envNote(String path) {
        for (Map.Entry<String, String> e : fromEnvironment.entrySet()) {
            String p = e.getKey();
            if (path.equals(p) || path.startsWith(p + ".") || path.startsWith(p + "[")) {
                return " (value from $" + e.getValue() + ")";
            }
        }
        return "";
    }

    /** A marker for {@link #addedSince}: lets a reader tell whether its own section had problems. */
    public int mark() {
        return list.size();
    }

    public boolean addedSince(int mark) {
        return list.size() > mark;
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<ConfigProblem> list() {
        return List.copyOf(list);
    }

    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new ConfigException(list);
        }
    }
}
