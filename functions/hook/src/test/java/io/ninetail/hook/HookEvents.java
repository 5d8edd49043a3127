package io.ninetail.hook;

import io.ninetail.core.event.Event;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Input events as the api sends them to the hook function, and GitHub's documented signature example. */
final class HookEvents {

    /** The example of GitHub's "Validating webhook deliveries" page: secret, payload and signature. */
    static final String GITHUB_SECRET = "It's a Secret to Everybody";
    static final String GITHUB_PAYLOAD = "Hello, World!";
    static final String GITHUB_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    private HookEvents() {
    }

    static String newRunId() {
        return "run-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Event input(String runId, String parametersJson) {
        return new Event("in-" + UUID.randomUUID(), "/ninetail/api", "block.hook.input",
                OffsetDateTime.now(ZoneOffset.UTC), runId, "trigger", 1, parametersJson.getBytes(StandardCharsets.UTF_8));
    }
}
