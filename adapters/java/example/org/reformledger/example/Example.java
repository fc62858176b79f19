package org.reformledger.example;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.reformledger.HostCallbacks;
import org.reformledger.Instance;
import org.reformledger.LogLevel;
import org.reformledger.ReformLedger;
import org.reformledger.ReformLedgerException;
import org.reformledger.Registration;

/**
 * A Java OA hosting the plugin in-process, end to end: load it, receive its registrations,
 * import the court's 2019 plan, and take one October report of 技术科 through the whole approval
 * chain — the contact drafts and submits, the head approves, the leader in charge approves, the reform
 * office files — printing each step. Exits non-zero on any failure.
 *
 * <pre>
 * java -cp reform-ledger.jar:example-classes:/usr/share/java/jna.jar \
 *     org.reformledger.example.Example build/bin/libreform_ledger.so host_stub/demo [LEDGER.db]
 * </pre>
 *
 * Without a database path the ledger is a new file in a temporary folder, removed at the end.
 */
public final class Example {
    /** Court time is China Standard Time. */
    private static final ZoneOffset COURT = ZoneOffset.ofHours(8);

    private static final String PERIOD = "2019-10";
    private static final String TASK = "2";
    private static final String DEPARTMENT = "技术科";

    /** One step of the approval chain. */
    private static final class Step {
        final String at;
        final String action;
        final String actor;
        final String words;

        Step(String at, String action, String actor, String words) {
            this.at = at;
            this.action = action;
            this.actor = actor;
            this.words = words;
        }
    }

    private static final Step[] CHAIN = {
        new Step("2019-11-01T09:00", "save_draft", "u-jishuke-contact", "完成岗位职责清单嵌入办案平台的技术方案。"),
        new Step("2019-11-01T09:10", "submit", "u-jishuke-contact", null),
        new Step("2019-11-01T10:00", "approve", "u-jishuke-head", "同意。"),
        new Step("2019-11-01T15:00", "approve", "u-vp-admin", "同意。"),
        new Step("2019-11-04T09:00", "file", "u-sigaiban-head", null),
    };

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: Example PLUGIN.so DEMO_DIR [NEW_LEDGER.db]");
            System.exit(2);
        }
        try {
            run(Paths.get(args[0]), Paths.get(args[1]), args.length == 3 ? Paths.get(args[2]) : null);
        } catch (ReformLedgerException e) {
            System.err.println("example: the plugin refused: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("example: " + e);
            System.exit(1);
        }
    }

    static void run(Path library, Path demo, Path database) throws Exception {
        Path temporary = null;
        if (database == null) {
            temporary = Files.createTempDirectory("reform-ledger-example");
            database = temporary.resolve("ledger.db");
        } else if (Files.exists(database)) {
            throw new IllegalArgumentException("database '" + database + "' exists; the example starts a new ledger");
        }
        try {
            runOn(library, demo, database);
        } finally {
            if (temporary != null) {
                deleteTree(temporary);
            }
        }
    }

    private static void runOn(Path library, Path demo, Path database) throws Exception {
        ReformLedger plugin = ReformLedger.load(library);
        System.out.println("Loaded " + plugin.name() + " " + plugin.version() + " (ABI " + plugin.abiVersion()
                + ") from " + plugin.path());

        final AtomicLong clock = new AtomicLong(courtTime("2019-11-01T08:00"));
        final List<Registration> registrations = new ArrayList<Registration>();
        HostCallbacks host = new HostCallbacks() {
            @Override
            public void log(LogLevel level, String message) {
                if (level.compareTo(LogLevel.WARNING) >= 0) {
                    System.err.println("[plugin " + level + "] " + message);
                }
            }

            @Override
            public long nowMillis() {
                return clock.get();
            }

            @Override
            public void onRegistration(Registration registration) {
                registrations.add(registration);
            }
        };

        try (Instance ledger = plugin.create(config(demo, database), host)) {
            System.out.println("Registered into the host:");
            for (Registration r : registrations) {
                Map<String, Object> d = Json.object(r.json());
                System.out.println("  " + r.kind() + "  " + d.get("id") + " v" + d.get("version")
                        + (d.get("title") != null ? "  " + d.get("title") : ""));
            }
            expect(count(registrations, Registration.Kind.FORM) >= 2, "the plugin registered its two forms");
            expect(count(registrations, Registration.Kind.WORKFLOW) == 2, "the plugin registered its two workflows");
            expect(count(registrations, Registration.Kind.NOTIFICATION_RULE) >= 1,
                    "the plugin registered its notification rules");

            Path seed = demo.resolve("yanji-2019-plan.txt");
            Map<String, Object> imported = Json.object(ledger.call("plan.import",
                    "{\"path\":" + Json.quote(seed.toAbsolutePath().toString())
                            + ",\"actor\":\"u-sigaiban-contact\"}"));
            System.out.println("Imported " + Json.str(imported, "plan", "title") + ": " + imported.get("tasks")
                    + " tasks, " + imported.get("assignments") + " assignments");
            expect(Boolean.TRUE.equals(imported.get("created")), "the plan was imported as new");

            System.out.println("Task " + TASK + ", " + DEPARTMENT + ", report for " + PERIOD + ":");
            for (Step step : CHAIN) {
                clock.set(courtTime(step.at));
                Map<String, Object> result = act(ledger, step);
                Object outcome = result.get("outcome");
                if (!"ok".equals(outcome)) {
                    throw new IllegalStateException(step.actor + " " + step.action + " was refused (" + outcome
                            + "): " + result.get("message"));
                }
                System.out.println("  " + step.at.replace('T', ' ') + "  " + step.actor + " " + step.action + " → "
                        + Json.str(result, "obligation", "status") + " at "
                        + Json.str(result, "obligation", "report", "step") + " (v"
                        + Json.str(result, "obligation", "report", "version") + ")");
            }

            Map<String, Object> shown = Json.object(ledger.call("report.get", reportKey("u-sigaiban-head")));
            String status = Json.str(shown, "obligation", "status");
            expect("filed".equals(status), "the report is filed (it is " + status + ")");
            expect(DEPARTMENT.equals(Json.str(shown, "obligation", "department")),
                    "the department comes back as " + DEPARTMENT);
            Map<String, Object> audit = Json.object(ledger.call("audit.list",
                    "{\"user\":\"u-sigaiban-head\",\"task\":\"" + TASK + "\"}"));
            List<?> entries = (List<?>) audit.get("entries");
            System.out.println("Audit trail of task " + TASK + ":");
            for (Object e : entries) {
                System.out.println("  " + Json.str(e, "at") + "  " + Json.str(e, "actor") + " "
                        + Json.str(e, "action") + " " + Json.str(e, "department") + " " + Json.str(e, "from_state")
                        + " → " + Json.str(e, "to_state"));
            }
            expect(entries.size() == CHAIN.length, "one audit entry per step (" + entries.size() + ")");
            Map<String, Object> verified = Json.object(ledger.call("audit.verify"));
            expect(Boolean.TRUE.equals(verified.get("ok")), "the audit trail verifies");
            System.out.println("The report is filed; the audit trail verifies ("
                    + verified.get("entries_checked") + " entries).");
        }
    }

    private static Map<String, Object> act(Instance ledger, Step step) throws ReformLedgerException {
        Map<String, Object> before = Json.object(ledger.call("report.get", reportKey(step.actor)));
        Object version = Json.at(before, "obligation", "report", "version");
        StringBuilder request = new StringBuilder("{\"action\":" + Json.quote(step.action) + ",\"actor\":"
                + Json.quote(step.actor) + ",\"task\":" + Json.quote(TASK) + ",\"department\":"
                + Json.quote(DEPARTMENT) + ",\"period\":" + Json.quote(PERIOD));
        if (version != null) {
            request.append(",\"version\":").append(version);
        }
        if ("save_draft".equals(step.action)) {
            request.append(",\"content\":{\"progress_summary\":").append(Json.quote(step.words))
                    .append(",\"percent_complete\":60}");
        } else if (step.words != null) {
            request.append(",\"reason\":").append(Json.quote(step.words));
        }
        return Json.object(ledger.call("report.act", request.append('}').toString()));
    }

    private static String reportKey(String user) {
        return "{\"user\":" + Json.quote(user) + ",\"task\":" + Json.quote(TASK) + ",\"department\":"
                + Json.quote(DEPARTMENT) + ",\"period\":" + Json.quote(PERIOD) + "}";
    }

    /** The plugin's configuration: the database, the demo org chart, monthly reports due on the 5th working day. */
    static String config(Path demo, Path database) throws IOException {
        String orgChart = new String(Files.readAllBytes(demo.resolve("org-chart.json")), StandardCharsets.UTF_8);
        return "{\"database\":{\"path\":" + Json.quote(database.toAbsolutePath().toString()) + "},"
                + "\"org_chart\":" + orgChart + ","
                + "\"options\":{\"lead_rule\":\"first_listed\","
                + "\"reporting\":{\"cycle\":\"monthly\",\"due_working_day\":5}}}";
    }

    static long courtTime(String localDateTime) {
        return LocalDateTime.parse(localDateTime).toInstant(COURT).toEpochMilli();
    }

    private static int count(List<Registration> registrations, Registration.Kind kind) {
        int n = 0;
        for (Registration r : registrations) {
            if (r.kind() == kind) {
                n++;
            }
        }
        return n;
    }

    private static void expect(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("expected: " + what);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        List<Path> paths = new ArrayList<Path>();
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            walk.forEach(paths::add);
        }
        for (int k = paths.size() - 1; k >= 0; k--) {
            Files.deleteIfExists(paths.get(k));
        }
    }
}
