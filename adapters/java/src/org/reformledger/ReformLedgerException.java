package org.reformledger;

/**
 * A call that failed: the plugin's status code (see {@link Status}) and its message, which says
 * what was wrong and where. When a host callback of this binding failed during the call (the
 * registration listener threw, the result could not be collected), that failure is the cause.
 */
public class ReformLedgerException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ReformLedgerException(int status, String message) {
        this(status, message, null);
    }

    public ReformLedgerException(int status, String message, Throwable cause) {
        super(Status.name(status) + " (" + status + "): " + message, cause);
        this.status = status;
    }

    /** The plugin's status code, one of the {@link Status} constants. */
    public int status() {
        return status;
    }
}
