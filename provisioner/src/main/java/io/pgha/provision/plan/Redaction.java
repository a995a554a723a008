package io.pgha.provision.plan;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a plan, a diff or a log line may show of a secret: "••••". Known secret values are masked
 * wherever they appear, and so is the value of any password-looking key, which also covers a
 * password the host holds from before that the inventory no longer knows.
 */
public final class Redaction {
    public static final String MASK = "••••";
    /** password: x, PASSWORD=x, "password": "x", PGHA_..._PASSWORD=x — the value up to the line's end or a quote/brace. */
    private static final Pattern KEYED = Pattern.compile(
            "(?i)((?:[a-z0-9_]*(?:password|passwd|secret))\"?\\s*[:=]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,}]+)");

    private final List<String> secrets;

    public Redaction(List<String> secrets) {
        // Longest first, so that a secret containing another is masked whole.
        this.secrets = secrets.stream().filter(s -> s != null && !s.isEmpty()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    public String mask(String text) {
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        Matcher m = KEYED.matcher(out);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + MASK));
        }
        m.appendTail(b);
        return b.toString();
    }
}
