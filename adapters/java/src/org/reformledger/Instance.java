package org.reformledger;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One plugin instance: a ledger database with its configuration, created by
 * {@link ReformLedger#create}.
 *
 * <p>Threads, as the C ABI tags them: {@link #call} is [thread-safe] — any thread, concurrently.
 * {@code create}, {@link #shutdown} and {@link #close} are [control]: only on the thread that
 * created the instance (its control thread); on any other thread they throw
 * {@link IllegalStateException} and do nothing. A server that creates the instance at start-up
 * closes it from the same thread (or runs both on one single-thread executor). {@code close()}
 * waits for the calls in progress, and a call after it throws STATE: never a crash.
 *
 * <p>The services table and every callback object the plugin holds live in this object, and the
 * object itself stays strongly reachable (a static set of open instances) until destroy()
 * returns, even if the OA drops its last reference without closing: the garbage collector never
 * frees a function the plugin still calls. Callbacks must not call back into the instance.
 */
public final class Instance implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("org.reformledger");
    /** Open instances, held strongly until destroy() returns. */
    private static final Set<Instance> OPEN = Collections.newSetFromMap(new ConcurrentHashMap<Instance, Boolean>());

    private final ReformLedger plugin;
    private final HostCallbacks callbacks;
    private final Thread controlThread;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    // What the plugin may call, kept here (and so reachable) for the instance's whole life.
    private final NativeAbi.LogFn logFn = new LogCallback();
    private final NativeAbi.NowFn nowFn = new NowCallback();
    private final NativeAbi.RegisterFn registerFn = new RegisterCallback();
    private final NativeAbi.SinkWrite sinkFn = new SinkCallback();
    private final NativeAbi.RlHostServices services = new NativeAbi.RlHostServices();
    // The result of each call in progress, by the sink context the call was given.
    private final Map<Long, Result> results = new ConcurrentHashMap<Long, Result>();
    private final AtomicLong nextCall = new AtomicLong();
    private volatile Throwable registrationFailure;
    private Pointer handle; // guarded by lifecycle: read lock to use it, write lock to end it

    private Instance(ReformLedger plugin, HostCallbacks callbacks) {
        this.plugin = plugin;
        this.callbacks = callbacks;
        this.controlThread = Thread.currentThread();
        services.host_context = null; // each callback object knows its instance
        services.log = logFn;
        services.now_ms = nowFn;
        services.register_definition = registerFn;
        services.write();
    }

    static Instance create(ReformLedger plugin, String configJson, HostCallbacks callbacks)
            throws ReformLedgerException {
        Instance instance = new Instance(plugin, callbacks);
        byte[] config = NativeAbi.utf8(configJson);
        PointerByReference out = new PointerByReference();
        NativeAbi.RlError error = new NativeAbi.RlError();
        OPEN.add(instance); // the plugin may call back (and start its worker) during create
        int status;
        try {
            status = plugin.create.invokeInt(new Object[] {
                instance.services, config, new NativeAbi.SizeT(config.length - 1), out, error});
        } catch (Throwable t) {
            OPEN.remove(instance);
            throw t;
        }
        if (status != Status.OK) {
            OPEN.remove(instance);
            throw new ReformLedgerException(status, error.text(), instance.registrationFailure);
        }
        instance.handle = out.getValue();
        return instance;
    }

    /**
     * Runs one method ("plan.import", "report.act" …; docs/abi.md lists them) with a JSON request
     * and returns the JSON result. [thread-safe]. A business refusal is a normal result
     * ({@code "outcome": "not_permitted"}); a failed call writes nothing.
     *
     * @throws ReformLedgerException the plugin's status and message: UNKNOWN_METHOD for a method it
     *     lacks, INVALID_ARGUMENT for a malformed request, STATE after shutdown or close …
     */
    public String call(String method, String requestJson) throws ReformLedgerException {
        byte[] name = NativeAbi.utf8(method);
        byte[] request = NativeAbi.utf8(requestJson == null ? "{}" : requestJson);
        lifecycle.readLock().lock();
        try {
            if (handle == null) {
                throw new ReformLedgerException(Status.STATE,
                        "the instance is closed: " + method + " was called after close()");
            }
            long id = nextCall.incrementAndGet();
            Result result = new Result();
            results.put(id, result);
            NativeAbi.RlSink sink = new NativeAbi.RlSink();
            sink.context = new Pointer(id);
            sink.write = sinkFn;
            NativeAbi.RlError error = new NativeAbi.RlError();
            int status;
            try {
                status = plugin.call.invokeInt(new Object[] {handle, name, new NativeAbi.SizeT(name.length - 1),
                    request, new NativeAbi.SizeT(request.length - 1), sink, error});
            } finally {
                results.remove(id);
            }
            if (status != Status.OK) {
                throw new ReformLedgerException(status, error.text(), result.failure);
            }
            return result.text();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** {@code call(method, "{}")}. */
    public String call(String method) throws ReformLedgerException {
        return call(method, "{}");
    }

    /**
     * Stops the plugin's background work and closes the database; afterwards calls fail with
     * STATE. Idempotent. [control]: only on the thread that created the instance.
     */
    public void shutdown() throws ReformLedgerException {
        requireControlThread("shutdown()");
        lifecycle.writeLock().lock();
        try {
            if (handle == null) {
                return;
            }
            NativeAbi.RlError error = new NativeAbi.RlError();
            int status = plugin.shutdown.invokeInt(new Object[] {handle, error});
            if (status != Status.OK) {
                throw new ReformLedgerException(status, error.text());
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /**
     * Shuts the instance down and destroys it, after the calls in progress have returned. Calls
     * after it throw STATE. A second close does nothing. [control]: only on the thread that
     * created the instance.
     *
     * @throws ReformLedgerException when shutting down failed (the instance is destroyed anyway)
     */
    @Override
    public void close() throws ReformLedgerException {
        requireControlThread("close()");
        lifecycle.writeLock().lock();
        try {
            if (handle == null) {
                return;
            }
            NativeAbi.RlError error = new NativeAbi.RlError();
            int status = plugin.shutdown.invokeInt(new Object[] {handle, error});
            plugin.destroy.invokeVoid(new Object[] {handle});
            handle = null;
            OPEN.remove(this); // destroy() has returned: the plugin calls nothing of ours any more
            if (status != Status.OK) {
                throw new ReformLedgerException(status, error.text());
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /** False once {@link #close} has run. */
    public boolean isOpen() {
        lifecycle.readLock().lock();
        try {
            return handle != null;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** The plugin this instance runs. */
    public ReformLedger plugin() {
        return plugin;
    }

    private void requireControlThread(String what) {
        Thread current = Thread.currentThread();
        if (current != controlThread) {
            throw new IllegalStateException(what + " is [control]: call it on the thread that created this instance ('"
                    + controlThread.getName() + "'), not on '" + current.getName() + "'");
        }
        if (lifecycle.getReadHoldCount() > 0) {
            // From a callback inside call(): waiting for that call to end would wait forever.
            throw new IllegalStateException(what + " cannot run inside a call of this instance (from a callback)");
        }
    }

    /** One call's result: the bytes as the plugin writes them, decoded as UTF-8 once at the end. */
    private static final class Result {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Throwable failure;

        String text() {
            return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
        }
    }

    private final class SinkCallback implements NativeAbi.SinkWrite {
        @Override
        public int invoke(Pointer context, Pointer data, NativeAbi.SizeT size) {
            Result result = null;
            try {
                result = results.get(Pointer.nativeValue(context));
                if (result == null) {
                    return 1; // not a call of ours: abort it
                }
                long n = size.longValue();
                if (n > 0) {
                    if (n > Integer.MAX_VALUE - result.bytes.size()) {
                        throw new IllegalStateException("the result is larger than a Java array (" + n + " more bytes)");
                    }
                    result.bytes.write(data.getByteArray(0, (int) n), 0, (int) n);
                }
                return 0;
            } catch (Throwable t) {
                if (result != null) {
                    result.failure = t;
                }
                return 1; // the plugin fails the call with RL_ERR_INTERNAL
            }
        }
    }

    private final class LogCallback implements NativeAbi.LogFn {
        @Override
        public void invoke(Pointer hostContext, int level, Pointer message, NativeAbi.SizeT size) {
            try {
                callbacks.log(LogLevel.of(level), NativeAbi.text(message, size));
            } catch (Throwable t) {
                report("the host's log callback failed", t);
            }
        }
    }

    private final class NowCallback implements NativeAbi.NowFn {
        @Override
        public long invoke(Pointer hostContext) {
            try {
                return callbacks.nowMillis();
            } catch (Throwable t) {
                report("the host's clock failed; the plugin got the system clock instead", t);
                return System.currentTimeMillis();
            }
        }
    }

    private final class RegisterCallback implements NativeAbi.RegisterFn {
        @Override
        public int invoke(Pointer hostContext, int kind, Pointer json, NativeAbi.SizeT size, Pointer error) {
            try {
                Registration.Kind k = Registration.Kind.of(kind);
                if (k == null) {
                    NativeAbi.fill(error, Status.REGISTRATION, "unknown registration kind " + kind);
                    return Status.REGISTRATION;
                }
                callbacks.onRegistration(new Registration(k, NativeAbi.text(json, size)));
                return Status.OK;
            } catch (Throwable t) {
                registrationFailure = t;
                try {
                    NativeAbi.fill(error, Status.REGISTRATION, "the Java host refused the registration: " + t);
                } catch (Throwable ignored) {
                    // the status alone still tells the plugin
                }
                return Status.REGISTRATION;
            }
        }
    }

    private static void report(String what, Throwable t) {
        try {
            LOG.log(Level.WARNING, what, t);
        } catch (Throwable ignored) {
            // nothing may unwind into the plugin
        }
    }
}
