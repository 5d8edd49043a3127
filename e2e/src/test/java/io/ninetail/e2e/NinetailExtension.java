package io.ninetail.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.List;
import java.util.Map;

/**
 * One launched system for the whole suite (starting ten JVMs takes a while on two cores): started
 * by the first test class that asks for it, stopped with {@code ./ninetail down} after the last
 * test of the run, failed or not. Every test leaves it whole: a test that kills a process starts it
 * again with {@code ./ninetail up}.
 */
final class NinetailExtension implements ParameterResolver {

    /** Three fetch processes: scale-out shows the work spread, and one can die while others carry on. */
    static final List<String> UP_OPTIONS = List.of("--replicas", "fetch=3");
    static final int FETCH_REPLICAS = 3;
    /**
     * A killed process's messages come back after the ack-wait: 5 s instead of 30 keeps the crash
     * tests short (the functions' for every app, the scheduler's for the scheduler alone). C1 only
     * and the serial collector: ten JVMs start faster on two cores, where jnats' 2 s connect
     * timeout is also too short for them all starting at once (an app that cannot connect does
     * not start).
     */
    static final Map<String, String> SETTINGS = Map.of(
            "NINETAIL_JAVA_OPTS", "-Dninetail.block.ack-wait=PT5S -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
                    + " -Dquarkus.messaging.nats.connection.connection-timeout=PT10S",
            "NINETAIL_JAVA_OPTS_SCHEDULER", "-Dninetail.scheduler.ack-wait=PT5S");

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NinetailExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LaunchedSystem.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // The root context's store outlives every test class and closes (./ninetail down) at the end of the run.
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(LaunchedSystem.class,
                key -> LaunchedSystem.up(UP_OPTIONS, FETCH_REPLICAS, SETTINGS), LaunchedSystem.class);
    }
}
