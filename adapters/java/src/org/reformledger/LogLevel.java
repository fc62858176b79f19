package org.reformledger;

/** The plugin's log levels (RL_LOG_DEBUG … RL_LOG_ERROR). */
public enum LogLevel {
    DEBUG,
    INFO,
    WARNING,
    ERROR;

    static LogLevel of(int level) {
        if (level <= 0) {
            return DEBUG;
        }
        return level >= 3 ? ERROR : values()[level];
    }
}
