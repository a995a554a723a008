package io.pgha.provision.inventory;

import io.pgha.config.ConfigProblem;
import io.pgha.config.Node;
import io.pgha.config.Problems;
import io.pgha.config.Values;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One pass over an inventory: the problems found so far and the keys set aside as not implemented.
 * Also decides, key by key, whether a key is implemented, misplaced, a typo, or ignored.
 */
final class Reading {
    /** Keys pgha refuses rather than ignores, because ignoring them would act on the wrong thing. */
    private static final String ANSIBLE_HOST = "ansible_host";

    final Problems problems = new Problems();
    private final Set<String> ignored = new TreeSet<>();

    void problem(String path, String message) {
        problems.add(path, message);
    }

    void ignore(String what) {
        ignored.add(what);
    }

    List<String> ignored() {
        return List.copyOf(ignored);
    }

    /** Each problem once, in the order found: a bad all.vars value is seen by every cluster that inherits it. */
    List<InventoryProblem> found() {
        Set<InventoryProblem> out = new LinkedHashSet<>();
        for (ConfigProblem p : problems.list()) {
            out.add(new InventoryProblem(p.path(), p.message()));
        }
        return new ArrayList<>(out);
    }

    /** Checks the keys of a vars mapping set at {@code where}; returns false when it is not a mapping. */
    boolean checkVars(Node vars, Where where) {
        if (!vars.mapping()) {
            return false;
        }
        for (var e : vars.entries().entrySet()) {
            String key = e.getKey();
            Node at = e.getValue();
            ImplementedKeys.Level level = ImplementedKeys.KEYS.get(key);
            if (level != null) {
                if (!level.allowed.contains(where)) {
                    at.problem("not allowed here: " + level.hint);
                }
            } else if (key.equals(ANSIBLE_HOST)) {
                at.problem("not supported: pgha connects to the host's key, so write the address itself as the key");
            } else {
                unimplemented(at, key, ImplementedKeys.KEYS.keySet(), ImplementedKeys.PIGSTY_NEIGHBOURS, key);
            }
        }
        return true;
    }

    /**
     * Checks the fields of one object (a user, a database, an HBA rule, a service); fields pgha does
     * not read are ignored under {@code owner[].field}. Returns false when it is not a mapping.
     */
    boolean checkFields(Node object, List<String> fields, String owner) {
        if (object.isPresent() && !(object.value() instanceof Map<?, ?>)) {
            object.problem("expected a mapping with " + fields.get(0) + ", got " + Values.describe(object.value()));
            return false;
        }
        for (var e : object.entries().entrySet()) {
            if (!fields.contains(e.getKey())) {
                unimplemented(e.getValue(), e.getKey(), fields, ImplementedKeys.PIGSTY_NEIGHBOURS, owner + "[]." + e.getKey());
            }
        }
        return true;
    }

    private void unimplemented(Node at, String key, Collection<String> implemented, Set<String> pigsty,
                               String ignoredAs) {
        Optional<String> near = pigsty.contains(key) ? Optional.empty() : Spelling.closest(key, implemented);
        if (near.isPresent()) {
            at.problem("unknown key: did you mean " + near.get()
                    + "? (a key pgha does not implement is ignored, but this one looks like a typo)");
        } else {
            ignore(ignoredAs);
        }
    }
}
