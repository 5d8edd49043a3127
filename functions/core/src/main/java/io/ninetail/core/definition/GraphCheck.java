package io.ninetail.core.definition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks what connects the blocks: needs that name no block, cycles, error routes with nothing
 * to route, primary inputs without a single need to read them from, and response blocks that
 * no webhook caller waits for. Iterative throughout: the number of blocks is bounded, but the
 * depth of a chain should not depend on the stack.
 */
final class GraphCheck {

    private final List<BlockDraft> blocks;
    /** First block with each id (duplicates are reported elsewhere). */
    private final Map<String, BlockDraft> byId = new LinkedHashMap<>();

    GraphCheck(List<BlockDraft> blocks) {
        this.blocks = blocks;
        blocks.stream().filter(b -> b.id() != null).forEach(b -> byId.putIfAbsent(b.id(), b));
    }

    void check(Diagnostics out) {
        unknownNeeds(out);
        errorRoutesWithoutNeeds(out);
        primaryInputs(out);
        cycles(out);
        responsesWithoutHook(out);
    }

    private void unknownNeeds(Diagnostics out) {
        for (BlockDraft block : blocks) {
            for (BlockDraft.Need need : block.needs()) {
                if (!byId.containsKey(need.id())) {
                    out.error(need.pointer().toString(), block.label() + " needs unknown block '" + Texts.excerpt(need.id())
                            + "'" + Suggestions.didYouMean(need.id(), byId.keySet()));
                }
            }
        }
    }

    private void errorRoutesWithoutNeeds(Diagnostics out) {
        for (BlockDraft block : blocks) {
            if (block.runIf() == RunIf.FAILURE && block.needs().isEmpty()) {
                out.error(block.pointer().appendProperty("runIf").toString(), block.label()
                        + ": runIf 'failure' waits for a need to fail, but the block has no needs");
            }
        }
    }

    private void primaryInputs(Diagnostics out) {
        for (BlockDraft block : blocks) {
            if (block.type() == null || block.with() != null && !block.with().isObject()) {
                continue;
            }
            for (PrimaryInput input : block.type().primaryInputs()) {
                boolean written = block.with() != null && block.with().has(input.parameter());
                int needs = block.needs().size();
                if (written || !input.required() || needs == 1) {
                    continue;
                }
                String pointer = block.with() == null ? block.pointer().toString()
                        : block.pointer().appendProperty("with").toString();
                String source = input.field() == null ? "the output" : "the " + input.field();
                out.error(pointer, block.typedLabel() + " reads '" + input.parameter() + "' from " + source
                        + " of its need, but it has " + (needs == 0 ? "no needs" : needs + " needs")
                        + ": set 'with." + input.parameter() + "'"
                        + (needs == 0 ? " or add a need" : ", e.g. \"${ ." + block.needs().get(0).id() + "."
                        + input.field() + " }\""));
            }
        }
    }

    /**
     * Blocks on a cycle never become ready. Peeling off every block whose needs can all be met
     * leaves exactly the blocks on or behind a cycle; each of those has a need among them, so
     * following needs from any of them must come round. One message per distinct cycle.
     */
    private void cycles(Diagnostics out) {
        Map<BlockDraft, List<BlockDraft>> needs = new HashMap<>();
        Map<BlockDraft, Integer> waiting = new HashMap<>();
        Map<BlockDraft, List<BlockDraft>> dependents = new HashMap<>();
        for (BlockDraft block : blocks) {
            List<BlockDraft> resolved = block.needs().stream().map(n -> byId.get(n.id())).filter(b -> b != null).toList();
            needs.put(block, resolved);
            waiting.put(block, resolved.size());
            resolved.forEach(need -> dependents.computeIfAbsent(need, k -> new ArrayList<>()).add(block));
        }
        Deque<BlockDraft> ready = new ArrayDeque<>();
        waiting.forEach((block, count) -> {
            if (count == 0) {
                ready.add(block);
            }
        });
        Set<BlockDraft> stuck = new HashSet<>(blocks);
        while (!ready.isEmpty()) {
            BlockDraft done = ready.poll();
            stuck.remove(done);
            for (BlockDraft dependent : dependents.getOrDefault(done, List.of())) {
                if (waiting.merge(dependent, -1, Integer::sum) == 0) {
                    ready.add(dependent);
                }
            }
        }
        Set<BlockDraft> reported = new HashSet<>();
        for (BlockDraft start : blocks) {
            if (!stuck.contains(start) || reported.contains(start)) {
                continue;
            }
            List<BlockDraft> path = new ArrayList<>();
            Map<BlockDraft, Integer> position = new HashMap<>();
            BlockDraft current = start;
            while (!position.containsKey(current) && !reported.contains(current)) {
                position.put(current, path.size());
                path.add(current);
                current = needs.get(current).stream().filter(stuck::contains).findFirst().orElseThrow();
            }
            if (reported.contains(current)) {
                reported.addAll(path);
                continue;
            }
            List<BlockDraft> cycle = rotateToFirstInDocument(path.subList(position.get(current), path.size()));
            reported.addAll(path);
            BlockDraft first = cycle.get(0);
            BlockDraft second = cycle.size() > 1 ? cycle.get(1) : first;
            String pointer = first.needs().stream().filter(n -> byId.get(n.id()) == second).findFirst()
                    .map(n -> n.pointer().toString()).orElse(first.pointer().toString());
            String names = cycle.stream().map(BlockDraft::id).collect(Collectors.joining(" → "));
            out.error(pointer, "needs form a cycle: " + names + " → " + first.id() + " (each block needs the next)");
        }
    }

    private List<BlockDraft> rotateToFirstInDocument(List<BlockDraft> cycle) {
        int first = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (cycle.get(i).index() < cycle.get(first).index()) {
                first = i;
            }
        }
        List<BlockDraft> rotated = new ArrayList<>(cycle.subList(first, cycle.size()));
        rotated.addAll(cycle.subList(0, first));
        return rotated;
    }

    /**
     * A response outside every hook's reach still sets the run's output (a run started through
     * the api), so it is a warning, not an error: but no webhook caller will ever receive it.
     */
    private void responsesWithoutHook(Diagnostics out) {
        Map<BlockDraft, Boolean> reachable = new HashMap<>();
        Deque<BlockDraft> todo = new ArrayDeque<>();
        blocks.stream().filter(b -> b.type() != null && b.type().name().equals(BlockTypes.HOOK)).forEach(hook -> {
            reachable.put(hook, true);
            todo.add(hook);
        });
        Map<BlockDraft, List<BlockDraft>> dependents = new HashMap<>();
        for (BlockDraft block : blocks) {
            block.needs().stream().map(n -> byId.get(n.id())).filter(b -> b != null)
                    .forEach(need -> dependents.computeIfAbsent(need, k -> new ArrayList<>()).add(block));
        }
        while (!todo.isEmpty()) {
            for (BlockDraft dependent : dependents.getOrDefault(todo.poll(), List.of())) {
                if (reachable.putIfAbsent(dependent, true) == null) {
                    todo.add(dependent);
                }
            }
        }
        for (BlockDraft block : blocks) {
            if (block.type() != null && block.type().name().equals(BlockTypes.RESPONSE) && !reachable.containsKey(block)) {
                out.warning(block.pointer().toString(), block.typedLabel() + " is not downstream of a hook: no webhook"
                        + " caller waits for it; it only sets the run's output");
            }
        }
    }
}
