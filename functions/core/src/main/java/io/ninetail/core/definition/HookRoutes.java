package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two hooks of one workflow may not answer the same method on the same path: the api could not
 * tell which one a request starts. (Collisions across workflows are the api's to refuse, when
 * it stores a definition.)
 */
final class HookRoutes {

    /** {@code POST /orders/new}: how routes are compared and shown. Leading and trailing slashes do not count. */
    static String route(JsonNode with) {
        String path = with.path("path").asText();
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return with.path("method").asText("POST") + " /" + path.substring(start, end);
    }

    static void check(List<BlockDraft> blocks, Diagnostics out) {
        Map<String, BlockDraft> owners = new HashMap<>();
        for (BlockDraft block : blocks) {
            if (block.type() == null || !block.type().name().equals(BlockTypes.HOOK) || block.template() == null) {
                continue;
            }
            String route = route(block.with());
            BlockDraft owner = owners.putIfAbsent(route, block);
            if (owner != null) {
                out.error(block.pointer().appendProperty("with").appendProperty("path").toString(),
                        block.typedLabel() + ": " + route + " is already served by " + owner.label()
                                + " (" + owner.pointer() + ")");
            }
        }
    }
}
