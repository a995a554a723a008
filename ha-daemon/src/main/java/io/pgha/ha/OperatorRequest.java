package io.pgha.ha;

/**
 * An operator's command to this node (REST or CLI), handed to the decision core so that it is
 * carried out by the HA loop between two observations, never concurrently with an HA action.
 */
public sealed interface OperatorRequest {
    String what();

    /** Restart PostgreSQL in its current role. */
    record Restart() implements OperatorRequest {
        @Override
        public String what() {
            return "restart";
        }
    }

    /** Throw this replica's data away and clone it again from the leader. */
    record Reinitialize() implements OperatorRequest {
        @Override
        public String what() {
            return "reinitialize";
        }
    }

    /** Rewrite PostgreSQL's configuration from pgha.yml and the DCS config and reload it. */
    record Reload() implements OperatorRequest {
        @Override
        public String what() {
            return "reload";
        }
    }
}
