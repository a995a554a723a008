package io.pgha.provision.unit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** systemd's two ways of writing environment variables: EnvironmentFile= files and Environment= lines. */
final class EnvironmentFile {
    private EnvironmentFile() {
    }

    /** A file of KEY=value lines; '#' and ';' start comments, values may be quoted. */
    static Map<String, String> parse(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue; // systemd ignores such lines too, with a warning
            }
            env.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
        }
        return env;
    }

    /** Environment="A=b c" D=e: whitespace-separated assignments, each optionally quoted. */
    static Map<String, String> assignments(String value) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String word : Words.split(value)) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                env.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return env;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    /** systemd's word splitting for ExecStart= and Environment=: quotes group, backslash escapes. */
    static final class Words {
        private Words() {
        }

        static List<String> split(String line) {
            List<String> words = new ArrayList<>();
            StringBuilder w = new StringBuilder();
            boolean inWord = false;
            char quote = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else if (c == '\\' && i + 1 < line.length()) {
                        w.append(line.charAt(++i));
                    } else {
                        w.append(c);
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                    inWord = true;
                } else if (Character.isWhitespace(c)) {
                    if (inWord) {
                        words.add(w.toString());
                        w.setLength(0);
                        inWord = false;
                    }
                } else if (c == '\\' && i + 1 < line.length()) {
                    w.append(line.charAt(++i));
                    inWord = true;
                } else {
                    w.append(c);
                    inWord = true;
                }
            }
            if (quote != 0) {
                throw new UnitException("unbalanced quote in: " + line);
            }
            if (inWord) {
                words.add(w.toString());
            }
            return words;
        }
    }
}
