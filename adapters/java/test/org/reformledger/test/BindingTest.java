package org.reformledger.test;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.reformledger.HostCallbacks;
import org.reformledger.Instance;
import org.reformledger.LogLevel;
import org.reformledger.ReformLedger;
import org.reformledger.ReformLedgerException;
import org.reformledger.Registration;
import org.reformledger.Status;
import org.reformledger.example.Json;

/**
 * The JNA binding against the real plugin, one rule per test (CTest runs each as java.binding.NAME):
 *
 * <pre>java … org.reformledger.test.BindingTest PLUGIN.so DEMO_DIR WORK_DIR TEST</pre>
 *
 * Plain checks, no test framework: a failed check prints what was expected and exits 1.
 */
public final class BindingTest {
    private static Path library;
    private static Path demo;
    private static Path work;
    private static int checks;

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: BindingTest PLUGIN.so DEMO_DIR WORK_DIR TEST");
            System.exit(2);
        }
        library = Paths.get(args[0]);
        demo = Paths.get(args[1]);
        work = Files.createDirectories(Paths.get(args[2]));
        String test = args[3];
        try {
            switch (test) {
                case "utf8_under_lang_c": utf8UnderLangC(); break;
                case "throwing_listener_fails_create": throwingListenerFailsCreate(); break;
                case "throwing_log_and_clock_are_contained": throwingLogAndClockAreContained(); break;
                case "unknown_method_is_typed_exception": unknownMethodIsTypedException(); break;
                case "gc_pressure_during_calls": gcPressureDuringCalls(); break;
                case "use_after_close_is_exception": useAfterCloseIsException(); break;
                case "control_calls_only_on_control_thread": controlCallsOnlyOnControlThread(); break;
                case "load_failures_are_typed": loadFailuresAreTyped(); break;
                case "close_inside_a_call_is_refused": closeInsideACallIsRefused(); break;
                default:
                    System.err.println("unknown test '" + test + "'");
                    System.exit(2);
            }
        } catch (Throwable t) {
            System.err.println("FAILED " + test + ": unexpected " + t);
            t.printStackTrace();
            System.exit(1);
        }
        System.out.println("ok " + test + " (" + checks + " checks)");
    }

    // Under LANG=C and -Dfile.encoding=US-ASCII, JNA would encode a String as US-ASCII (技术科 → ???):
    // the binding's UTF-8 bytes must carry Chinese both ways — requests, results, error messages,
    // registrations and the configuration.
    static void utf8UnderLangC() throws Exception {
        check("US-ASCII".equals(Charset.defaultCharset().name()),
                "the test runs with a US-ASCII default charset (it is " + Charset.defaultCharset() + ")");
        final List<Registration> registrations = Collections.synchronizedList(new ArrayList<Registration>());
        try (Instance ledger = ReformLedger.load(library).create(config("utf8.db", false), new HostCallbacks() {
                @Override
                public void onRegistration(Registration r) {
                    registrations.add(r);
                }
            })) {
            importSeed(ledger);
            Map<String, Object> tasks = Json.object(ledger.call("ledger.tasks", "{\"department\":\"技术科\"}"));
            check("技术科".equals(tasks.get("department")),
                    "ledger.tasks echoes the department 技术科, got " + tasks.get("department"));
            check(!((List<?>) tasks.get("tasks")).isEmpty(), "技术科 has tasks in the seed plan");

            Map<String, Object> chart = Json.object(ledger.call("org.chart"));
            check(Json.object(ledger.call("org.chart")).toString().contains("演示·技术科联系人"),
                    "the org chart given in the configuration comes back in Chinese: " + chart.get("people"));

            ReformLedgerException e = expectFailure(ledger, "ledger.tasks", "{\"department\":\"不存在科\"}");
            check(e.status() == Status.NOT_FOUND, "an unknown department is NOT_FOUND, got " + e.status());
            check(e.getMessage().contains("不存在科"), "the error message quotes 不存在科: " + e.getMessage());

            boolean sawTitle = false;
            for (Registration r : registrations) {
                check(!r.json().contains("???") && !r.json().contains("\uFFFD"), "registration intact: " + r);
                sawTitle |= "工作进展报告".equals(Json.str(Json.parse(r.json()), "title"));
            }
            check(sawTitle, "the progress report form arrived with its title 工作进展报告");
        }
    }

    // JNA turns a Java exception thrown in a callback into 0 (RL_OK); the binding must answer
    // RL_ERR_REGISTRATION instead, so create fails cleanly and nothing is left open.
    static void throwingListenerFailsCreate() throws Exception {
        ReformLedger plugin = ReformLedger.load(library);
        final AtomicInteger offered = new AtomicInteger();
        try {
            plugin.create(config("refused.db", false), new HostCallbacks() {
                @Override
                public void onRegistration(Registration r) {
                    if (offered.incrementAndGet() == 2) {
                        throw new IllegalStateException("表单库已满 (the OA's form store is full)");
                    }
                }
            });
            check(false, "create fails when the registration listener throws");
        } catch (ReformLedgerException e) {
            check(e.status() == Status.REGISTRATION, "the status is REGISTRATION, got " + e.status());
            check(e.getMessage().contains("表单库已满"), "the plugin's message carries the listener's: " + e.getMessage());
            check(e.getCause() instanceof IllegalStateException, "the listener's exception is the cause");
        }
        check(offered.get() == 2, "the plugin stopped registering at the refusal (offered " + offered + ")");
        // Nothing left open: the same database opens again and works.
        try (Instance ledger = plugin.create(config("refused.db", false), null)) {
            importSeed(ledger);
        }
    }

    // A log callback or a clock that throws must not unwind into the plugin; the calls go on.
    static void throwingLogAndClockAreContained() throws Exception {
        final AtomicInteger logs = new AtomicInteger();
        final AtomicInteger clocks = new AtomicInteger();
        try (Instance ledger = ReformLedger.load(library).create(config("throwing.db", false), new HostCallbacks() {
                @Override
                public void log(LogLevel level, String message) {
                    logs.incrementAndGet();
                    throw new RuntimeException("log sink broken");
                }

                @Override
                public long nowMillis() {
                    clocks.incrementAndGet();
                    throw new RuntimeException("clock broken");
                }
            })) {
            importSeed(ledger);
            Map<String, Object> status = Json.object(ledger.call("ledger.status",
                    "{\"user\":\"u-sigaiban-head\",\"period\":\"2019-10\"}"));
            check("ok".equals(status.get("outcome")), "ledger.status still answers: " + status.get("message"));
        }
        check(clocks.get() > 0, "the plugin asked the clock");
        check(logs.get() > 0, "the plugin logged");
    }

    static void unknownMethodIsTypedException() throws Exception {
        try (Instance ledger = ReformLedger.load(library).create(config("unknown.db", false), null)) {
            ReformLedgerException e = expectFailure(ledger, "ledger.no_such_method", "{}");
            check(e.status() == Status.UNKNOWN_METHOD, "an unknown method is status 8, got " + e.status());
            check(e.getMessage().contains("ledger.no_such_method"), "the message names the method: " + e.getMessage());
            e = expectFailure(ledger, "ledger.tasks", "{\"department\":");
            check(e.status() == Status.INVALID_ARGUMENT, "malformed JSON is INVALID_ARGUMENT, got " + e.status());
            check(ledger.isOpen(), "a failed call leaves the instance open");
            Json.object(ledger.call("plugin.info"));
        }
    }

    // The collector runs all the time while four threads call, and while the plugin's delivery
    // thread calls the clock and the log: the services table and callbacks must stay alive, and
    // each call's result must be its own (one sink per call).
    static void gcPressureDuringCalls() throws Exception {
        final AtomicInteger nativeThreadCallbacks = new AtomicInteger();
        final Map<Thread, Boolean> javaThreads = new ConcurrentHashMap<Thread, Boolean>();
        javaThreads.put(Thread.currentThread(), true);
        // The callbacks object is referenced only by the instance.
        final Instance ledger = ReformLedger.load(library).create(config("gc.db", true), new HostCallbacks() {
            @Override
            public long nowMillis() {
                if (!javaThreads.containsKey(Thread.currentThread())) {
                    nativeThreadCallbacks.incrementAndGet();
                }
                return System.currentTimeMillis();
            }

            @Override
            public void log(LogLevel level, String message) {
                byte[] garbage = new byte[4096]; // give the collector something to do
                garbage[0] = 1;
            }
        });
        try {
            importSeed(ledger);
            final AtomicBoolean done = new AtomicBoolean();
            Thread collector = new Thread(new Runnable() {
                @Override
                public void run() {
                    while (!done.get()) {
                        System.gc();
                        List<byte[]> churn = new ArrayList<byte[]>();
                        for (int k = 0; k < 64; k++) {
                            churn.add(new byte[16 * 1024]);
                        }
                    }
                }
            }, "collector");
            collector.start();
            final String[] departments = {"技术科", "刑庭", "民庭", "干部科"};
            final AtomicReference<Throwable> failure = new AtomicReference<Throwable>();
            List<Thread> callers = new ArrayList<Thread>();
            for (final String department : departments) {
                Thread t = new Thread(new Runnable() {
                    @Override
                    public void run() {
                        try {
                            for (int k = 0; k < 40; k++) {
                                Map<String, Object> r = Json.object(ledger.call("ledger.tasks",
                                        "{\"department\":" + Json.quote(department) + "}"));
                                if (!department.equals(r.get("department"))) {
                                    throw new AssertionError("asked for " + department + ", got " + r.get("department"));
                                }
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    }
                }, "caller " + department);
                javaThreads.put(t, true);
                callers.add(t);
            }
            for (Thread t : callers) {
                t.start();
            }
            for (Thread t : callers) {
                t.join();
            }
            // The delivery thread polls every 10 ms; wait (without a time limit of our own) until it
            // has called back into Java under the collector's pressure.
            while (nativeThreadCallbacks.get() < 20 && failure.get() == null) {
                Thread.sleep(10);
            }
            done.set(true);
            collector.join();
            check(failure.get() == null, "every concurrent call got its own result: " + failure.get());
        } finally {
            ledger.close();
        }
        check(nativeThreadCallbacks.get() >= 20, "the plugin's own thread called the Java clock");
    }

    static void useAfterCloseIsException() throws Exception {
        ReformLedger plugin = ReformLedger.load(library);
        Instance ledger = plugin.create(config("closed.db", false), null);
        ledger.shutdown();
        ReformLedgerException e = expectFailure(ledger, "plugin.info", "{}");
        check(e.status() == Status.STATE, "a call after shutdown() is STATE, got " + e.status());
        ledger.shutdown(); // idempotent
        ledger.close();
        check(!ledger.isOpen(), "closed");
        e = expectFailure(ledger, "plugin.info", "{}");
        check(e.status() == Status.STATE, "a call after close() is STATE, got " + e.status());
        check(e.getMessage().contains("close()"), "the message says the instance is closed: " + e.getMessage());
        ledger.close(); // a second close does nothing
        ledger.shutdown();
    }

    // create/shutdown/destroy are [control]: from another thread they are refused, not run.
    static void controlCallsOnlyOnControlThread() throws Exception {
        final Instance ledger = ReformLedger.load(library).create(config("control.db", false), null);
        final AtomicReference<Throwable> refused = new AtomicReference<Throwable>();
        Thread other = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    ledger.close();
                } catch (Throwable t) {
                    refused.set(t);
                }
            }
        }, "not the control thread");
        other.start();
        other.join();
        check(refused.get() instanceof IllegalStateException, "close() on another thread is refused: " + refused.get());
        check(refused.get().getMessage().contains("[control]"), "the refusal says why: " + refused.get().getMessage());
        check(ledger.isOpen(), "the refused close() did nothing");
        Json.object(ledger.call("plugin.info"));
        ledger.close();
        check(!ledger.isOpen(), "close() on the control thread works");
    }

    // A callback that closes the instance while a call of it runs would wait for itself forever.
    static void closeInsideACallIsRefused() throws Exception {
        final AtomicReference<Instance> self = new AtomicReference<Instance>();
        final AtomicReference<Throwable> refused = new AtomicReference<Throwable>();
        Instance ledger = ReformLedger.load(library).create(config("reentrant.db", false), new HostCallbacks() {
            @Override
            public long nowMillis() {
                Instance instance = self.get();
                if (instance != null && refused.get() == null) {
                    try {
                        instance.close();
                    } catch (Throwable t) {
                        refused.set(t);
                    }
                }
                return System.currentTimeMillis();
            }
        });
        self.set(ledger);
        importSeed(ledger); // the import reads the clock on this, the control, thread
        check(refused.get() instanceof IllegalStateException, "close() inside a call is refused: " + refused.get());
        check(ledger.isOpen(), "the refused close() did nothing");
        self.set(null);
        ledger.close();
        check(!ledger.isOpen(), "close() after the call works");
    }

    static void loadFailuresAreTyped() throws Exception {
        try {
            ReformLedger.load(work.resolve("no-such-plugin.so"));
            check(false, "loading a missing file fails");
        } catch (ReformLedgerException e) {
            check(e.status() == Status.INVALID_ARGUMENT, "a missing library is INVALID_ARGUMENT, got " + e.status());
            check(e.getMessage().contains("no-such-plugin.so"), "the message names the file: " + e.getMessage());
        }
        Path notALibrary = work.resolve("not-a-library.so");
        Files.write(notALibrary, "not ELF".getBytes("UTF-8"));
        try {
            ReformLedger.load(notALibrary);
            check(false, "loading a file that is not a library fails");
        } catch (ReformLedgerException e) {
            check(e.status() == Status.INVALID_ARGUMENT, "a non-library is INVALID_ARGUMENT, got " + e.status());
        }
        try {
            ReformLedger.load(library).create("{\"database\":{}}", null);
            check(false, "a configuration without database.path fails");
        } catch (ReformLedgerException e) {
            check(e.status() == Status.CONFIG, "a bad configuration is CONFIG, got " + e.status());
        }
    }

    private static void importSeed(Instance ledger) throws ReformLedgerException {
        Map<String, Object> r = Json.object(ledger.call("plan.import", "{\"path\":"
                + Json.quote(demo.resolve("yanji-2019-plan.txt").toAbsolutePath().toString())
                + ",\"actor\":\"u-sigaiban-contact\"}"));
        check(Long.valueOf(45).equals(r.get("tasks")), "the seed plan has 45 tasks, got " + r.get("tasks"));
    }

    /** A configuration on a new database in the work folder; with worker, a delivery thread polling every 10 ms. */
    private static String config(String database, boolean worker) throws Exception {
        Path db = work.resolve(database);
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(Paths.get(db + suffix));
        }
        String orgChart = new String(Files.readAllBytes(demo.resolve("org-chart.json")), "UTF-8");
        String notifications = worker
                ? ",\"notifications\":{\"channels\":[{\"name\":\"oa\",\"kind\":\"webhook\","
                        + "\"url\":\"http://127.0.0.1:9/messages\",\"secret\":\"whsec_dGVzdCBzZWNyZXQ=\"}],"
                        + "\"worker\":{\"enabled\":true,\"poll_ms\":10}}"
                : "";
        return "{\"database\":{\"path\":" + Json.quote(db.toAbsolutePath().toString()) + "},\"org_chart\":"
                + orgChart + notifications + "}";
    }

    private static ReformLedgerException expectFailure(Instance ledger, String method, String request) {
        try {
            String result = ledger.call(method, request);
            check(false, method + " " + request + " fails, but it returned " + result);
            return null;
        } catch (ReformLedgerException e) {
            return e;
        }
    }

    private static void check(boolean condition, String what) {
        checks++;
        if (!condition) {
            throw new AssertionError("expected: " + what);
        }
    }
}
