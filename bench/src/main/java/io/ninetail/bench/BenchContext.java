package io.ninetail.bench;

import java.io.PrintStream;

/** What scenarios share: the plan, the running system, the api, the console, and the floor. */
public final class BenchContext {

    private final Plan plan;
    private final LaunchedSystem system;
    private volatile ApiClient api;
    private final PrintStream console;
    private volatile Latencies floor = Latencies.NONE;

    public BenchContext(Plan plan, LaunchedSystem system, ApiClient api, PrintStream console) {
        this.plan = plan;
        this.system = system;
        this.api = api;
        this.console = console;
    }

    public Plan plan() {
        return plan;
    }

    public LaunchedSystem system() {
        return system;
    }

    public ApiClient api() {
        return api;
    }

    /**
     * A new client after the api or the whole system was restarted: connections kept alive to
     * the old process must not turn into errors of the next measurement.
     */
    public void reconnectApi() {
        this.api = new ApiClient(java.net.URI.create(system.ports().apiUrl()));
    }

    public void say(String format, Object... arguments) {
        console.printf(format + "%n", arguments);
        console.flush();
    }

    /** The JetStream round trip measured in this run, for the hop overhead's ratio. */
    public Latencies floor() {
        return floor;
    }

    void floor(Latencies measured) {
        this.floor = measured;
    }
}
