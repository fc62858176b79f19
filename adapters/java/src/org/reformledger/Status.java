package org.reformledger;

/**
 * The plugin's stable status codes (the {@code RL_*} constants of api/reform_ledger.h). A
 * business outcome — a refused approval, a form with field errors — is not a status: the call
 * returns normally and its JSON says {@code "outcome": "not_permitted"} and so on.
 */
public final class Status {
    public static final int OK = 0;
    public static final int INVALID_ARGUMENT = 1;
    public static final int VERSION_MISMATCH = 2;
    public static final int CONFIG = 3;
    public static final int INPUT = 4;
    public static final int NOT_FOUND = 5;
    public static final int STORAGE = 6;
    public static final int REGISTRATION = 7;
    public static final int UNKNOWN_METHOD = 8;
    public static final int STATE = 9;
    public static final int INTERNAL = 99;

    private Status() {}

    /** The constant's name without its prefix ("NOT_FOUND"), or "STATUS_n" for a code this binding does not know. */
    public static String name(int status) {
        switch (status) {
            case OK: return "OK";
            case INVALID_ARGUMENT: return "INVALID_ARGUMENT";
            case VERSION_MISMATCH: return "VERSION_MISMATCH";
            case CONFIG: return "CONFIG";
            case INPUT: return "INPUT";
            case NOT_FOUND: return "NOT_FOUND";
            case STORAGE: return "STORAGE";
            case REGISTRATION: return "REGISTRATION";
            case UNKNOWN_METHOD: return "UNKNOWN_METHOD";
            case STATE: return "STATE";
            case INTERNAL: return "INTERNAL";
            default: return "STATUS_" + status;
        }
    }
}
