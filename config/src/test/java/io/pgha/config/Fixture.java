package io.pgha.config;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** Test files and a way to derive broken variants of them one key at a time. */
final class Fixture {
    private final Map<String, Object> tree;

    private Fixture(Map<String, Object> tree) {
        this.tree = tree;
    }

    private static final Map<String, Map<String, Object>> PARSED = new ConcurrentHashMap<>();

    static Fixture of(String resource) {
        return new Fixture(deepCopy(PARSED.computeIfAbsent(resource, r -> tree(text(r)))));
    }

    @SuppressWarnings("unchecked")
    private static <T> T deepCopy(T v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, val) -> copy.put((String) k, deepCopy(val)));
            return (T) copy;
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(item -> copy.add(deepCopy(item)));
            return (T) copy;
        }
        return v;
    }

    static Fixture minimal() {
        return of("minimal.yml");
    }

    static Fixture full() {
        return of("full.yml");
    }

    static String text(String resource) {
        try (InputStream in = Fixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path path(String resource) {
        try {
            return Path.of(Fixture.class.getResource(resource).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> tree(String yaml) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }

    /** Sets a dotted path, creating mappings on the way. */
    @SuppressWarnings("unchecked")
    Fixture set(String dottedPath, Object value) {
        String[] keys = dottedPath.split("\\.");
        Map<String, Object> at = tree;
        for (int i = 0; i < keys.length - 1; i++) {
            Object next = at.get(keys[i]);
            if (!(next instanceof Map<?, ?>)) {
                next = new LinkedHashMap<String, Object>();
                at.put(keys[i], next);
            }
            at = (Map<String, Object>) next;
        }
        at.put(keys[keys.length - 1], value);
        return this;
    }

    @SuppressWarnings("unchecked")
    Fixture remove(String dottedPath) {
        String[] keys = dottedPath.split("\\.");
        Object at = tree;
        for (int i = 0; i < keys.length - 1; i++) {
            at = ((Map<String, Object>) at).get(keys[i]);
            if (!(at instanceof Map<?, ?>)) {
                return this;
            }
        }
        ((Map<String, Object>) at).remove(keys[keys.length - 1]);
        return this;
    }

    String yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(tree);
    }

    PghaConfig parse() {
        return PghaConfig.parse(yaml(), Map.of());
    }

    PghaConfig parse(Map<String, String> env) {
        return PghaConfig.parse(yaml(), env);
    }

    List<String> problems() {
        return problems(yaml(), Map.of());
    }

    List<String> problems(Map<String, String> env) {
        return problems(yaml(), env);
    }

    /** The problems a text is rejected with, as {@code path: message} lines; fails if it is accepted. */
    static List<String> problems(String yaml, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        assertThatThrownBy(() -> PghaConfig.parse(yaml, env))
                .isInstanceOfSatisfying(ConfigException.class, e -> e.problems().forEach(p -> out.add(p.toString())));
        if (out.isEmpty()) {
            fail("rejected without problems");
        }
        return out;
    }

    /** Parses text that must be valid, showing every problem if it is not. */
    static PghaConfig problemsFree(String yaml) {
        try {
            return PghaConfig.parse(yaml, Map.of());
        } catch (ConfigException e) {
            return fail("expected a valid config, got:\n" + e.getMessage());
        }
    }

    static List<String> problems(String yaml) {
        return problems(yaml, Map.of());
    }
}
