package io.pgha.haproxy.service;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a selector: {@code *} (or Pigsty's {@code []}, or {@code all}), {@code primary},
 * {@code replica}, {@code tag:<name>}, combined with {@code !}, {@code &&}, {@code ||} and
 * parentheses; {@code &&} binds tighter than {@code ||}. A bad selector is refused with the
 * position and what was expected, never guessed at.
 */
public final class SelectorParser {
    private static final Pattern TOKEN = Pattern.compile("\\s*(\\|\\||&&|!|\\(|\\)|\\*|\\[\\]|tag:[A-Za-z0-9_.-]+|[A-Za-z0-9_.:-]+)");

    private final String text;
    private final List<String> tokens = new ArrayList<>();
    private final List<Integer> positions = new ArrayList<>();
    private int next;

    private SelectorParser(String text) {
        this.text = text;
    }

    /** @throws IllegalArgumentException naming what is wrong and where */
    public static Selector parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty; use * for every member");
        }
        SelectorParser p = new SelectorParser(text);
        p.tokenize();
        Selector s = p.or();
        if (p.next < p.tokens.size()) {
            throw p.error("unexpected \"" + p.tokens.get(p.next) + "\"");
        }
        return s;
    }

    private void tokenize() {
        Matcher m = TOKEN.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (text.substring(at).isBlank()) {
                break;
            }
            if (!m.find(at) || m.start() != at) {
                int pos = at;
                while (Character.isWhitespace(text.charAt(pos))) {
                    pos++;
                }
                throw new IllegalArgumentException("cannot read \"" + text + "\" at position " + (pos + 1)
                        + ": expected *, primary, replica, tag:<name>, !, &&, || or parentheses");
            }
            tokens.add(m.group(1));
            positions.add(m.start(1));
            at = m.end();
        }
    }

    private Selector or() {
        Selector left = and();
        while (accept("||")) {
            left = new Selector.Or(left, and());
        }
        return left;
    }

    private Selector and() {
        Selector left = unary();
        while (accept("&&")) {
            left = new Selector.And(left, unary());
        }
        return left;
    }

    private Selector unary() {
        if (accept("!")) {
            return new Selector.Not(unary());
        }
        return atom();
    }

    private Selector atom() {
        if (next >= tokens.size()) {
            throw error("ends too early");
        }
        String t = tokens.get(next);
        if (t.equals("(")) {
            next++;
            Selector inner = or();
            if (!accept(")")) {
                throw error("missing )");
            }
            return inner;
        }
        next++;
        return switch (t) {
            case "*", "[]", "all" -> new Selector.All();
            case "primary", "leader" -> new Selector.Primary();
            case "replica" -> new Selector.Replica();
            default -> {
                if (t.startsWith("tag:")) {
                    yield new Selector.Tagged(t.substring(4));
                }
                next--;
                throw error("unknown term \"" + t + "\"; expected *, primary, replica or tag:<name>");
            }
        };
    }

    private boolean accept(String token) {
        if (next < tokens.size() && tokens.get(next).equals(token)) {
            next++;
            return true;
        }
        return false;
    }

    private IllegalArgumentException error(String what) {
        int pos = next < positions.size() ? positions.get(next) + 1 : text.length() + 1;
        return new IllegalArgumentException("cannot read \"" + text + "\" at position " + pos + ": " + what);
    }
}
