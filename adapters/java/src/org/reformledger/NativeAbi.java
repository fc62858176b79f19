package org.reformledger;

import com.sun.jna.Callback;
import com.sun.jna.IntegerType;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The structs and function-pointer types of api/reform_ledger.h as JNA sees them. Not API: JNA
 * needs these types public, an OA uses {@link ReformLedger} and {@link Instance}.
 *
 * <p>No {@code String} crosses the boundary here. JNA would encode a {@code String} with the
 * platform's default charset — US-ASCII under {@code LANG=C}, turning 技术科 into "???" — so
 * every string is passed as UTF-8 bytes with their length ({@link #utf8}) and read back from its
 * bytes ({@link #text}).
 */
public final class NativeAbi {
    private NativeAbi() {}

    public static final int ABI_MAJOR = 1;
    public static final int ABI_MINOR = 0;
    public static final String ENTRY_SYMBOL = "reform_ledger_entry_v1";
    static final int ERROR_MESSAGE_BYTES = 1024;

    /** size_t: 64 bits on the 64-bit Linux the plugin is built for, whatever C's long is. */
    public static final class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;

        public SizeT() {
            this(0);
        }

        public SizeT(long value) {
            super(Native.SIZE_T_SIZE, value, true);
        }
    }

    /** rl_error: caller-owned detail of a failed call. */
    public static final class RlError extends Structure {
        public int struct_size;
        public int code;
        public byte[] message = new byte[ERROR_MESSAGE_BYTES];

        public RlError() {
            struct_size = size();
        }

        @Override
        protected List<String> getFieldOrder() {
            return Arrays.asList("struct_size", "code", "message");
        }

        /** The NUL-terminated message, decoded as UTF-8. */
        String text() {
            int end = 0;
            while (end < message.length && message[end] != 0) {
                end++;
            }
            return new String(message, 0, end, StandardCharsets.UTF_8);
        }
    }

    /** rl_sink.write: returns 0 to continue, non-zero to abort the call. */
    public interface SinkWrite extends Callback {
        int invoke(Pointer context, Pointer data, SizeT size);
    }

    /** rl_sink: where call() writes its JSON result. */
    public static final class RlSink extends Structure {
        public int struct_size;
        public Pointer context;
        public SinkWrite write;

        public RlSink() {
            struct_size = size();
        }

        @Override
        protected List<String> getFieldOrder() {
            return Arrays.asList("struct_size", "context", "write");
        }
    }

    public interface LogFn extends Callback {
        void invoke(Pointer hostContext, int level, Pointer message, SizeT size);
    }

    public interface NowFn extends Callback {
        long invoke(Pointer hostContext);
    }

    public interface RegisterFn extends Callback {
        int invoke(Pointer hostContext, int kind, Pointer json, SizeT size, Pointer error);
    }

    /** rl_host_services: the host owns it; it must stay valid until destroy() returns. */
    public static final class RlHostServices extends Structure {
        public int struct_size;
        public Pointer host_context;
        public LogFn log;
        public NowFn now_ms;
        public RegisterFn register_definition;

        public RlHostServices() {
            struct_size = size();
        }

        @Override
        protected List<String> getFieldOrder() {
            return Arrays.asList("struct_size", "host_context", "log", "now_ms", "register_definition");
        }
    }

    /** rl_plugin: the plugin's static table. Functions are kept as raw pointers and invoked through com.sun.jna.Function. */
    public static final class RlPlugin extends Structure {
        public int struct_size;
        public int abi_major;
        public int abi_minor;
        public Pointer name;
        public Pointer version;
        public Pointer create;
        public Pointer call;
        public Pointer shutdown;
        public Pointer destroy;

        public RlPlugin(Pointer table) {
            super(table);
        }

        @Override
        protected List<String> getFieldOrder() {
            return Arrays.asList("struct_size", "abi_major", "abi_minor", "name", "version", "create", "call",
                    "shutdown", "destroy");
        }
    }

    /**
     * The text as UTF-8 with a NUL after it. Pass the array and {@code length - 1}: the plugin reads
     * exactly the bytes given, the NUL only keeps a careless reader from running off the end.
     */
    static byte[] utf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    /** {@code size} bytes at {@code data}, decoded as UTF-8. */
    static String text(Pointer data, SizeT size) {
        long n = size.longValue();
        if (data == null || n <= 0) {
            return "";
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a string of " + n + " bytes is more than Java can hold");
        }
        return new String(data.getByteArray(0, (int) n), StandardCharsets.UTF_8);
    }

    /**
     * Writes code and message into a caller-owned rl_error, if there is one and it is big enough:
     * the message cut to fit on a UTF-8 character boundary and NUL-terminated.
     */
    static void fill(Pointer error, int code, String message) {
        if (error == null) {
            return;
        }
        int structSize = error.getInt(0);
        if (structSize < 8 + ERROR_MESSAGE_BYTES) {
            return;
        }
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(bytes.length, ERROR_MESSAGE_BYTES - 1);
        while (n > 0 && n < bytes.length && (bytes[n] & 0xC0) == 0x80) {
            n--; // never cut a character in half
        }
        error.setInt(4, code);
        error.write(8, bytes, 0, n);
        error.setByte(8 + n, (byte) 0);
    }
}
