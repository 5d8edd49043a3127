package io.ninetail.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's settings reach the processes they name: {@code NINETAIL_JAVA_OPTS} every app's,
 * {@code NINETAIL_JAVA_OPTS_SCHEDULER} the scheduler's alone ({@link NinetailExtension#SETTINGS}).
 */
@ExtendWith(NinetailExtension.class)
class LauncherSettingsIT {

    private static final String EVERY_APP = "-Dninetail.block.ack-wait=PT5S";
    private static final String SCHEDULER_ONLY = "-Dninetail.scheduler.ack-wait=PT5S";

    @Test
    void everyAppGetsTheCommonOptionsAndOnlyTheSchedulerItsOwn(LaunchedSystem system) throws IOException {
        // Every test leaves the system whole; a process another test killed for good would have no command line.
        List<String> apps = system.processes().stream().filter(name -> !name.equals("nats")).filter(system::alive)
                .toList();
        assertTrue(apps.containsAll(List.of("api", "scheduler", "fetch", "fetch-2", "hook")), "processes: " + apps);
        for (String app : apps) {
            List<String> arguments = commandLine(system.pid(app));
            assertTrue(arguments.contains(EVERY_APP), app + ": " + arguments);
            assertEquals(app.equals("scheduler"), arguments.contains(SCHEDULER_ONLY), app + ": " + arguments);
        }
    }

    private static List<String> commandLine(long pid) throws IOException {
        return List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"));
    }
}
