package io.ninetail.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.ninetail.core.definition.BlockDefinition;
import io.ninetail.core.definition.BlockTypes;
import io.ninetail.core.definition.Durations;
import io.ninetail.core.definition.WorkflowDefinition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /**
     * A hook's {@code with} as the api reads it, defaults filled in. It has exactly the keys of the
     * hook's with-schema (HookWithSchemaTest), so a setting the validator accepts is one the
     * api reads, in the same grammar.
     *
     * @param auth the hook function checks it; the api only carries it (null: none)
     */
    record With(String path, String method, Map<String, String> auth, Duration responseTimeout) {

        /** The {@code with} of a validated hook block. */
        static With of(BlockDefinition hook) {
            JsonNode with = hook.with().json();
            JsonNode timeout = with.path("responseTimeout");
            Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
            if (!timeout.isMissingNode() && !timeout.isNull()) {
                try {
                    responseTimeout = Durations.parse(timeout.asText());
                } catch (IllegalArgumentException e) {
                    // The validator refuses such a hook: reaching this is a bug, not a default.
                    throw new IllegalStateException("hook '" + hook.id() + "': with.responseTimeout "
                            + e.getMessage(), e);
                }
            }
            Map<String, String> auth = null;
            if (with.path("auth").isObject()) {
                auth = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> field : with.get("auth").properties()) {
                    auth.put(field.getKey(), field.getValue().asText());
                }
            }
            return new With(with.path("path").asText(""), with.path("method").asText(DEFAULT_METHOD), auth,
                    responseTimeout);
        }
    }

    /** Every hook of a workflow, in block order. */
    static List<HookRoute> of(WorkflowDefinition definition) {
        List<HookRoute> routes = new ArrayList<>();
        List<BlockDefinition> blocks = definition.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            BlockDefinition block = blocks.get(i);
            if (BlockTypes.HOOK.equals(block.type())) {
                With with = With.of(block);
                routes.add(new HookRoute(with.method(), with.path(), block.id(), i));
            }
        }
        return routes;
    }

    /** How long a caller of this hook waits for the workflow's response block. */
    static Duration responseTimeout(BlockDefinition hook) {
        return With.of(hook).responseTimeout();
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
