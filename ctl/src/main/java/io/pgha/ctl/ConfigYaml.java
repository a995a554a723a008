package io.pgha.ctl;

import io.pgha.config.YamlSource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dynamic config as the operator reads and edits it: YAML on screen, JSON in the DCS. Only
 * values JSON can hold are accepted from YAML (a YAML date or a non-string key would not survive the
 * trip), and duplicate keys are refused, because taking the last one silently hides an edit.
 */
final class ConfigYaml {
    private ConfigYaml() {
    }

    /** The DCS value (a JSON object) as plain Java maps and lists, in its key order. */
    static Map<String, Object> fromJson(String json) {
        return plainMap(new JsonObject(json));
    }

    static String toJson(Map<String, Object> config) {
        return new JsonObject(config).encode();
    }

    static String toYaml(Map<String, Object> config) {
        return config.isEmpty() ? "{}\n" : YamlSource.dump(config);
    }

    /**
     * A YAML document as a config mapping.
     *
     * @param what names the input in a message (a file name, "the edited config")
     */
    static Map<String, Object> parseMapping(String yaml, String what) {
        Object root = parse(yaml, what);
        if (root == null) {
            return new LinkedHashMap<>();
        }
        if (!(root instanceof Map<?, ?>)) {
            throw CtlError.usage(what + ": expected a mapping of config keys, got " + kind(root));
        }
        return plainMap(root, what);
    }

    /** One scalar or structure as written after {@code --set key=}: {@code 10}, {@code true}, {@code null}, {@code "x"}. */
    static Object parseValue(String yaml, String what) {
        return plain(parse(yaml, what), what);
    }

    private static Object parse(String yaml, String what) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try {
            return new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark();
            throw CtlError.usage(what + ": YAML syntax error" + (mark == null ? "" : " at line " + (mark.getLine() + 1)
                    + ", column " + (mark.getColumn() + 1)) + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw CtlError.usage(what + ": cannot read YAML: " + CtlCommand.oneLine(e.getMessage()));
        }
    }

    private static Map<String, Object> plainMap(JsonObject o) {
        Map<String, Object> out = new LinkedHashMap<>();
        o.forEach(e -> out.put(e.getKey(), plainJson(e.getValue())));
        return out;
    }

    private static Object plainJson(Object v) {
        if (v instanceof JsonObject o) {
            return plainMap(o);
        }
        if (v instanceof JsonArray a) {
            List<Object> out = new ArrayList<>();
            a.forEach(x -> out.add(plainJson(x)));
            return out;
        }
        return v;
    }

    private static Map<String, Object> plainMap(Object v, String at) {
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<?, ?>) v).forEach((k, x) -> {
            if (!(k instanceof String key)) {
                throw CtlError.usage(at + ": key " + k + " is not a string (quote it)");
            }
            out.put(key, plain(x, at + "." + key));
        });
        return out;
    }

    private static Object plain(Object v, String at) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Double) {
            return v;
        }
        if (v instanceof BigInteger b) {
            throw CtlError.usage(at + ": " + b + " is too large a number");
        }
        if (v instanceof Map<?, ?>) {
            return plainMap(v, at);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                out.add(plain(l.get(i), at + "[" + i + "]"));
            }
            return out;
        }
        throw CtlError.usage(at + ": " + kind(v) + " cannot be stored in the DCS config (JSON); quote it to make it a string");
    }

    private static String kind(Object v) {
        if (v instanceof List<?>) {
            return "a list";
        }
        if (v instanceof Date) {
            return "a date";
        }
        if (v instanceof byte[]) {
            return "binary data";
        }
        return v instanceof String ? "a string" : "a " + v.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
}
