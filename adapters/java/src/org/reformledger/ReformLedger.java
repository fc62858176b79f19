package org.reformledger;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;

/**
 * The Reform Ledger plugin ({@code libreform_ledger.so}) loaded into this JVM. Load it once and
 * create an {@link Instance} per ledger database:
 *
 * <pre>{@code
 * ReformLedger plugin = ReformLedger.load(Paths.get("/opt/reform-ledger/libreform_ledger.so"));
 * try (Instance ledger = plugin.create(configJson, callbacks)) {
 *     String tasks = ledger.call("ledger.tasks", "{\"period\":\"2019-10\"}");
 * }
 * }</pre>
 *
 * <p>The plugin runs inside the JVM: a crash in native code (or in a dependency of it) ends the
 * JVM. An OA that cannot accept that runs {@code reform-ledger-server} instead and speaks HTTP
 * (docs/integration.md).
 */
public final class ReformLedger {
    private static final int RTLD_NOW = 2; // RTLD_LOCAL is 0: the plugin's symbols stay its own

    private final NativeLibrary library;
    private final NativeAbi.RlPlugin table;
    final Function create;
    final Function call;
    final Function shutdown;
    final Function destroy;
    private final String name;
    private final String version;

    private ReformLedger(NativeLibrary library, NativeAbi.RlPlugin table) {
        this.library = library;
        this.table = table;
        this.create = Function.getFunction(table.create);
        this.call = Function.getFunction(table.call);
        this.shutdown = Function.getFunction(table.shutdown);
        this.destroy = Function.getFunction(table.destroy);
        this.name = table.name == null ? "" : table.name.getString(0, StandardCharsets.UTF_8.name());
        this.version = table.version == null ? "" : table.version.getString(0, StandardCharsets.UTF_8.name());
    }

    /**
     * Loads the plugin library and negotiates the ABI (this binding speaks 1.0). The library stays
     * loaded for the life of the JVM.
     *
     * @throws ReformLedgerException INVALID_ARGUMENT when the file is missing or not the plugin,
     *     VERSION_MISMATCH when its ABI major differs
     */
    public static ReformLedger load(Path library) throws ReformLedgerException {
        Path file = library.toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new ReformLedgerException(
                    Status.INVALID_ARGUMENT, "cannot load plugin '" + file + "': no such file");
        }
        Map<String, Object> options = Collections.<String, Object>singletonMap(Library.OPTION_OPEN_FLAGS, RTLD_NOW);
        NativeLibrary lib;
        try {
            lib = NativeLibrary.getInstance(file.toString(), options);
        } catch (UnsatisfiedLinkError e) {
            throw new ReformLedgerException(Status.INVALID_ARGUMENT,
                    "cannot load plugin '" + file + "': " + e.getMessage()
                            + " (are its Debian dependencies installed? see docs/integration.md)");
        }
        Function entry;
        try {
            entry = lib.getFunction(NativeAbi.ENTRY_SYMBOL);
        } catch (UnsatisfiedLinkError e) {
            throw new ReformLedgerException(Status.INVALID_ARGUMENT,
                    "plugin '" + file + "' has no " + NativeAbi.ENTRY_SYMBOL + " entry function");
        }
        PointerByReference out = new PointerByReference();
        NativeAbi.RlError error = new NativeAbi.RlError();
        int status = entry.invokeInt(new Object[] {NativeAbi.ABI_MAJOR, NativeAbi.ABI_MINOR, out, error});
        if (status != Status.OK) {
            throw new ReformLedgerException(status, error.text());
        }
        NativeAbi.RlPlugin table = new NativeAbi.RlPlugin(out.getValue());
        table.read();
        if (table.struct_size < table.size()) {
            throw new ReformLedgerException(Status.VERSION_MISMATCH,
                    "plugin '" + file + "' offers an older, smaller plugin table (" + table.struct_size
                            + " bytes, this binding needs " + table.size() + ")");
        }
        return new ReformLedger(lib, table);
    }

    /**
     * Creates an instance: parses the configuration (docs/abi.md, "Configuration"), opens and
     * migrates the database, and registers the plugin's forms, workflow and notification rules
     * through {@link HostCallbacks#onRegistration}. [control]: the calling thread becomes the
     * instance's control thread; {@link Instance#shutdown} and {@link Instance#close} must be
     * called on it.
     *
     * @throws ReformLedgerException CONFIG, STORAGE, REGISTRATION … with the plugin's message;
     *     nothing is left open
     */
    public Instance create(String configJson, HostCallbacks callbacks) throws ReformLedgerException {
        return Instance.create(this, configJson, callbacks == null ? new HostCallbacks() {} : callbacks);
    }

    /** The plugin's name ("reform-ledger"). */
    public String name() {
        return name;
    }

    /** The plugin's release, e.g. "0.1.0". */
    public String version() {
        return version;
    }

    /** The plugin's ABI version, "major.minor". */
    public String abiVersion() {
        return table.abi_major + "." + table.abi_minor;
    }

    /** Where the library was loaded from. */
    public String path() {
        return library.getFile() == null ? library.getName() : library.getFile().getPath();
    }
}
