package io.pgha.haproxy.service;

/**
 * Which members a service routes to, Pigsty's {@code selector}/{@code backup} in pgha's terms. Pigsty
 * selects with JMESPath over static inventory variables ({@code pg_role == `offline` ||
 * pg_offline_query}); pgha knows the live roles from the DCS, so a selector speaks of the current
 * leader ({@code primary}), everyone else ({@code replica}) and member tags ({@code tag:offline}).
 * Written as {@code primary || tag:offline}, {@code replica && !tag:offline}, {@code *}.
 */
public sealed interface Selector {
    boolean matches(MemberFacts member);

    /** Whether the answer depends on who leads, so a leader change changes the rendered servers. */
    boolean dependsOnLeader();

    /** Every member; Pigsty writes this as {@code []}. */
    record All() implements Selector {
        @Override
        public boolean matches(MemberFacts member) {
            return true;
        }

        @Override
        public boolean dependsOnLeader() {
            return false;
        }

        @Override
        public String toString() {
            return "*";
        }
    }

    /** The member holding the leader key. */
    record Primary() implements Selector {
        @Override
        public boolean matches(MemberFacts member) {
            return member.leader();
        }

        @Override
        public boolean dependsOnLeader() {
            return true;
        }

        @Override
        public String toString() {
            return "primary";
        }
    }

    /** Every member not holding the leader key. */
    record Replica() implements Selector {
        @Override
        public boolean matches(MemberFacts member) {
            return !member.leader();
        }

        @Override
        public boolean dependsOnLeader() {
            return true;
        }

        @Override
        public String toString() {
            return "replica";
        }
    }

    /** Members whose tag is true ({@code tags: {offline: true}}), Patroni's notion of a set boolean tag. */
    record Tagged(String tag) implements Selector {
        @Override
        public boolean matches(MemberFacts member) {
            return member.tagIsTrue(tag);
        }

        @Override
        public boolean dependsOnLeader() {
            return false;
        }

        @Override
        public String toString() {
            return "tag:" + tag;
        }
    }

    record Not(Selector inner) implements Selector {
        @Override
        public boolean matches(MemberFacts member) {
            return !inner.matches(member);
        }

        @Override
        public boolean dependsOnLeader() {
            return inner.dependsOnLeader();
        }

        @Override
        public String toString() {
            return "!" + (inner instanceof And || inner instanceof Or ? "(" + inner + ")" : inner.toString());
        }
    }

    record And(Selector left, Selector right) implements Selector {
        @Override
        public boolean matches(MemberFacts member) {
            return left.matches(member) && right.matches(member);
        }

        @Override
        public boolean dependsOnLeader() {
            return left.dependsOnLeader() || right.dependsOnLeader();
        }

        @Override
        public String toString() {
            return wrap(left) + " && " + wrap(right);
        }

        private static String wrap(Selector s) {
            return s instanceof Or ? "(" + s + ")" : s.toString();
        }
    }

    record Or(Selector left, Selector right) implements Selector {
        @Override
        public boolean matches(MemberFacts member) {
            return left.matches(member) || right.matches(member);
        }

        @Override
        public boolean dependsOnLeader() {
            return left.dependsOnLeader() || right.dependsOnLeader();
        }

        @Override
        public String toString() {
            return left + " || " + right;
        }
    }
}
