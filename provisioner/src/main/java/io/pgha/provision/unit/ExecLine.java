package io.pgha.provision.unit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ExecStart= turned into an argument vector as systemd does it: a word that is exactly $NAME
 * becomes the variable's whitespace-separated words (none when empty), ${NAME} inside a word is
 * replaced by the value as is.
 */
final class ExecLine {
    private static final Pattern WHOLE = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern BRACED = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private ExecLine() {
    }

    static List<String> argv(String execStart, Map<String, String> env) {
        List<String> argv = new ArrayList<>();
        for (String word : EnvironmentFile.Words.split(execStart)) {
            Matcher whole = WHOLE.matcher(word);
            if (whole.matches()) {
                argv.addAll(EnvironmentFile.Words.split(env.getOrDefault(whole.group(1), "")));
                continue;
            }
            Matcher braced = BRACED.matcher(word);
            StringBuilder out = new StringBuilder();
            while (braced.find()) {
                braced.appendReplacement(out, Matcher.quoteReplacement(env.getOrDefault(braced.group(1), "")));
            }
            braced.appendTail(out);
            argv.add(out.toString());
        }
        if (argv.isEmpty()) {
            throw new UnitException("ExecStart= is empty after expanding variables: " + execStart);
        }
        return argv;
    }
}
