package io.ninetail.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.core.block.BlockFailure;
import io.ninetail.core.event.Event;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.Subjects.BlockAddress;
import io.ninetail.core.nats.Subjects.BlockLeg;
import io.ninetail.core.nats.Subjects;
import io.ninetail.core.run.BlockRun;
import io.ninetail.core.run.BlockStatus;
import io.ninetail.core.run.Effect;
import io.ninetail.core.run.Run;
import io.ninetail.core.run.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Sends a committed run's outbox: every effect at once, each under its fixed id, so that
 * sending the same outbox again (after a crash, or from another replica) changes nothing.
 */
@ApplicationScoped
public class EffectSender {

    static final String SOURCE = "/ninetail/scheduler";
    static final String TIMER_TYPE = "scheduler.timer";

    private final EventPublisher publisher;
    private final BlockInputs inputs;
    private final ObjectMapper mapper;

    public EffectSender(EventPublisher publisher, BlockInputs inputs, ObjectMapper mapper) {
        this.publisher = publisher;
        this.inputs = inputs;
        this.mapper = mapper;
    }

    /**
     * Completes when every effect is stored: in JetStream, or block inputs in the broker (Knative
     * mode). {@code transitions} is asked for only when a block input must be resolved (a rejected
     * run has no valid workflow to resolve against).
     */
    public CompletableFuture<Void> send(Run run, Supplier<RunTransitions> transitions) {
        List<CompletableFuture<?>> sent = new ArrayList<>(run.outbox().size());
        for (Effect effect : sendingOrder(run.outbox())) {
            if (due(run, effect)) {
                sent.add(send(run, effect, transitions));
            }
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    /**
     * Block inputs first, then the run's events and timers, each group in outbox order: the next
     * block waits for its input, nobody waits for the events, and each effect's message is built
     * when its turn comes. (The events still reach the stream microseconds after the inputs, long
     * before the blocks' results can lead to the next ones.)
     */
    static List<Effect> sendingOrder(List<Effect> outbox) {
        List<Effect> ordered = new ArrayList<>(outbox.size());
        outbox.stream().filter(Effect.Dispatch.class::isInstance).forEach(ordered::add);
        outbox.stream().filter(effect -> !(effect instanceof Effect.Dispatch)).forEach(ordered::add);
        return ordered;
    }

    /**
     * An outbox sent again (by a replica taking over after a crash) may hold inputs of blocks
     * that have answered since, or attempts that were superseded: sending those now could run
     * a block twice once JetStream no longer recognises their ids. An input is due only while
     * its attempt is the block's running one.
     */
    static boolean due(Run run, Effect effect) {
        if (effect instanceof Effect.Dispatch dispatch) {
            BlockRun block = run.block(dispatch.blockId());
            return block != null && block.status() == BlockStatus.RUNNING
                    && block.attempt() == dispatch.attempt();
        }
        return true;
    }

    private CompletableFuture<?> send(Run run, Effect effect, Supplier<RunTransitions> transitions) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (effect instanceof Effect.Dispatch dispatch) {
            String type = run.block(dispatch.blockId()).type();
            BlockAddress address = new BlockAddress(type, run.runId(), dispatch.blockId());
            String inputId = run.runId() + "." + dispatch.blockId() + "." + dispatch.attempt();
            try {
                byte[] parameters = json(transitions.get().parameters(run, dispatch.blockId()));
                return inputs.send(address.subject(BlockLeg.INPUT), new Event(inputId, SOURCE,
                        Subjects.blockEventType(type, BlockLeg.INPUT), now, run.runId(), dispatch.blockId(),
                        dispatch.attempt(), parameters));
            } catch (BlockFailure failure) {
                // An expression that fails is the block's failure: it returns through the
                // ordinary result path, where retries and error routes apply.
                return publisher.publish(address.subject(BlockLeg.ERROR), new Event(inputId + "/error", SOURCE,
                        Subjects.blockEventType(type, BlockLeg.ERROR), now, run.runId(), dispatch.blockId(),
                        dispatch.attempt(), json(failure.error())));
            }
        }
        if (effect instanceof Effect.Notify notify) {
            return publisher.publish(notify.subject(), new Event(notify.id(), SOURCE, notify.type(), now, run.runId(),
                    notify.blockId(), Math.max(1, notify.attempt()), json(notify.data())));
        }
        Timer timer = ((Effect.StartTimer) effect).timer();
        return publisher.publish(Subjects.schedulerTimer(run.runId()), new Event(timer.id(), SOURCE, TIMER_TYPE, now,
                run.runId(), null, 1, json(timer)));
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
