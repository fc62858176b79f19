package org.reformledger;

/**
 * A definition the plugin registers into the host while {@code create()} runs: a form, the
 * approval workflow or a notification rule. {@code json} is the definition exactly as the plugin
 * sent it (an object with at least "id" and "version"); parse it with the OA's own JSON library.
 */
public final class Registration {
    /** RL_REGISTRATION_FORM, RL_REGISTRATION_WORKFLOW, RL_REGISTRATION_NOTIFICATION_RULE. */
    public enum Kind {
        FORM(1),
        WORKFLOW(2),
        NOTIFICATION_RULE(3);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** The kind with this code, or null for one this binding does not know. */
        public static Kind of(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return null;
        }
    }

    private final Kind kind;
    private final String json;

    public Registration(Kind kind, String json) {
        this.kind = kind;
        this.json = json;
    }

    public Kind kind() {
        return kind;
    }

    public String json() {
        return json;
    }

    @Override
    public String toString() {
        return kind + " " + json;
    }
}
