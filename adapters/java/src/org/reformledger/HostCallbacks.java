package org.reformledger;

/**
 * The host services an OA offers the plugin (rl_host_services). Every method has a default, so an
 * OA overrides only what it needs.
 *
 * <p>Threads: {@link #log} and {@link #nowMillis} may be called on any thread, the plugin's own
 * delivery thread included, concurrently; {@link #onRegistration} is called only on the thread
 * running {@code create()}. The binding catches everything a callback throws — nothing ever
 * unwinds into the plugin — and turns it into an error the plugin sees (see each method).
 */
public interface HostCallbacks {
    /**
     * A log line from the plugin (secrets already redacted). By default it goes to
     * java.util.logging, logger "org.reformledger.plugin" (DEBUG as FINE, ERROR as SEVERE).
     * Thrown exceptions are caught and reported through java.util.logging ("org.reformledger");
     * the line is then lost.
     */
    default void log(LogLevel level, String message) {
        java.util.logging.Level jul = level == LogLevel.DEBUG ? java.util.logging.Level.FINE
                : level == LogLevel.INFO ? java.util.logging.Level.INFO
                : level == LogLevel.WARNING ? java.util.logging.Level.WARNING
                : java.util.logging.Level.SEVERE;
        java.util.logging.Logger.getLogger("org.reformledger.plugin").log(jul, message);
    }

    /**
     * Wall-clock time in milliseconds since the Unix epoch (UTC). The plugin's dates, due dates
     * and reminders follow this clock; a scripted run or a test may return a fixed time. If it
     * throws, the binding answers with the system clock and logs the failure.
     */
    default long nowMillis() {
        return System.currentTimeMillis();
    }

    /**
     * The plugin registers a form, its workflow or a notification rule. Throwing refuses the
     * registration: the plugin sees RL_ERR_REGISTRATION with the exception's message, and
     * {@code create()} fails with a {@link ReformLedgerException} whose cause is the exception.
     */
    default void onRegistration(Registration registration) throws Exception {}
}
