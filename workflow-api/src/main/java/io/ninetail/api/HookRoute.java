package io.ninetail.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.ninetail.core.definition.BlockDefinition;
import io.ninetail.core.definition.BlockTypes;
import io.ninetail.core.definition.WorkflowDefinition;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a hook block listens: {@code POST /hooks/orders/new}. Paths are compared without their
 * leading and trailing slashes (as the validator compares them within one workflow).
 *
 * @param blockId the hook block
 * @param index   the block's position in the workflow (for error pointers)
 */
record HookRoute(String method, String path, String blockId, int index) {

    static final String DEFAULT_METHOD = "POST";
    static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    static final String KEY_PREFIX = "_hook.";

    HookRoute {
        method = method.toUpperCase(Locale.ROOT);
        path = normalize(path);
    }

    /** Every hook of a workflow, in block order. */
    static List<HookRoute> of(WorkflowDefinition definition) {
        List<HookRoute> routes = new ArrayList<>();
        List<BlockDefinition> blocks = definition.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            BlockDefinition block = blocks.get(i);
            if (BlockTypes.HOOK.equals(block.type())) {
                JsonNode with = block.with().json();
                routes.add(new HookRoute(with.path("method").asText(DEFAULT_METHOD), with.path("path").asText(""),
                        block.id(), i));
            }
        }
        return routes;
    }

    /** How long a caller of this hook waits for the workflow's response block. */
    static Duration responseTimeout(BlockDefinition hook) {
        JsonNode value = hook.with().json().path("responseTimeout");
        if (!value.isTextual()) {
            return DEFAULT_RESPONSE_TIMEOUT;
        }
        try {
            return Duration.parse(value.textValue());
        } catch (DateTimeParseException e) {
            return DEFAULT_RESPONSE_TIMEOUT;
        }
    }

    static String normalize(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }

    /** {@code POST /hooks/orders/new}. */
    String display() {
        return method + " /hooks/" + path;
    }

    /** Its key in the {@code workflows} bucket: {@code _hook.POST.orders/new}. */
    String key() {
        return KEY_PREFIX + method + "." + encode(path);
    }

    /** The keys of every method on {@code path}. */
    static String keysOnPath(String path) {
        return KEY_PREFIX + "*." + encode(normalize(path));
    }

    static String methodOfKey(String key) {
        return key.substring(KEY_PREFIX.length(), key.indexOf('.', KEY_PREFIX.length()));
    }

    /**
     * A path as one key token: letters, digits, {@code - _ /} stay; anything else (a hook path
     * may also hold {@code .} and {@code ~}) becomes {@code =XX}, its hex code.
     */
    static String encode(String path) {
        StringBuilder key = new StringBuilder(path.length());
        for (char c : path.toCharArray()) {
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '/') {
                key.append(c);
            } else {
                key.append('=').append(String.format("%02X", (int) c));
            }
        }
        return key.toString();
    }

    /** Where this hook's path is in the document as submitted. */
    String pointer(boolean listForm) {
        return listForm ? "/" + index + "/path" : "/blocks/" + index + "/with/path";
    }
}
