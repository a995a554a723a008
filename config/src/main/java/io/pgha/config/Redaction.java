package io.pgha.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Config records are logged, so their {@code toString} must never show a secret: fields named like
 * one are masked, and free-form maps (GUCs, opaque sections, preserved DCS keys) are masked by key
 * name and by {@code password=} inside connection strings.
 */
final class Redaction {
    static final String MASK = "***";
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|secret|token).*");
    private static final Pattern CONNINFO_PASSWORD = Pattern.compile("(?i)(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|\\S+)");

    private Redaction() {
    }

    /** {@code Name[a=1, password=***, ...]}, like a record's own toString with secrets masked. */
    static String describe(Record r) {
        StringJoiner out = new StringJoiner(", ", r.getClass().getSimpleName() + "[", "]");
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                v = "?";
            }
            out.add(c.getName() + "=" + String.valueOf(value(c.getName(), v)));
        }
        return out.toString();
    }

    private static Object value(String name, Object v) {
        if (v == null) {
            return null;
        }
        if (SECRET_NAME.matcher(name).matches()) {
            if (v instanceof Optional<?> o) {
                return o.isPresent() ? "Optional[" + MASK + "]" : o;
            }
            return MASK;
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            return value(v);
        }
        return v;
    }

    /** Walks maps and lists, masking values under secret-looking keys and conninfo passwords. */
    static Object value(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(k, SECRET_NAME.matcher(String.valueOf(k)).matches() && val != null ? MASK : value(val)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(item -> out.add(value(item)));
            return out;
        }
        if (v instanceof String s) {
            return CONNINFO_PASSWORD.matcher(s).replaceAll("$1" + MASK);
        }
        return v;
    }
}
