package io.ninetail.core.block;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.ninetail.core.event.Event;
import io.ninetail.core.nats.Subjects;
import io.ninetail.core.nats.Subjects.BlockLeg;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import java.util.stream.Collectors;

/**
 * Turns one {@code block.<type>.input} event into its result event, whatever the transport:
 * parameters are read once into the block's record, the block runs, and its output or failure
 * becomes {@code block.<type>.output} or {@code block.<type>.error}. The returned Uni never
 * fails: every failure is an error event.
 *
 * <p>The result's id is derived from the input's id, so running the same input twice yields
 * the same result id, which JetStream de-duplicates ({@code Nats-Msg-Id}).
 */
public final class BlockRunner {

    private static final Logger LOG = Logger.getLogger(BlockRunner.class);

    private final Block<Object, Object> block;
    private final ObjectMapper mapper;
    private final ObjectReader parametersReader;
    private final Set<String> parameterNames;
    private final Duration deadline;
    private final String source;
    private final BlockMetrics metrics;

    public BlockRunner(Block<?, ?> block, ObjectMapper mapper, Duration deadline) {
        this(block, mapper, deadline, BlockMetrics.unpublished(block.type()));
    }

    @SuppressWarnings("unchecked")
    public BlockRunner(Block<?, ?> block, ObjectMapper mapper, Duration deadline, BlockMetrics metrics) {
        this.metrics = metrics;
        this.block = (Block<Object, Object>) block;
        this.mapper = mapper;
        // Unknown keys are mistakes in the workflow, not something to ignore silently.
        this.parametersReader = mapper.readerFor(block.parametersType())
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.parameterNames = block.parametersType().isRecord()
                ? Arrays.stream(block.parametersType().getRecordComponents()).map(RecordComponent::getName)
                        .collect(Collectors.toCollection(TreeSet::new))
                : Set.of();
        this.deadline = deadline;
        this.source = "/ninetail/functions/" + block.type();
    }

    public String type() {
        return block.type();
    }

    public String inputType() {
        return Subjects.blockEventType(block.type(), BlockLeg.INPUT);
    }

    /** The result event of {@code input}, counted in the function's {@link BlockMetrics} when it exists. */
    public Uni<Event> run(Event input) {
        return Uni.createFrom().deferred(() -> {
            BlockMetrics.Execution execution = metrics.start();
            return result(input).onTermination().invoke((result, failure, cancelled) -> {
                if (result != null) {
                    execution.end(result.type().endsWith("." + BlockLeg.OUTPUT.token()));
                } else {
                    execution.abandon();
                }
            });
        });
    }

    private Uni<Event> result(Event input) {
        if (!inputType().equals(input.type())) {
            return Uni.createFrom().item(error(input, BlockError.of(BlockError.BAD_EVENT,
                    "this function runs events of type '" + inputType() + "', got '" + input.type() + "'", false)));
        }
        if (input.blockId() == null) {
            return Uni.createFrom().item(error(input, BlockError.of(BlockError.BAD_EVENT,
                    "the event has no blockid attribute", false)));
        }
        Object parameters;
        try {
            parameters = readParameters(input.data());
        } catch (IOException e) {
            return Uni.createFrom().item(error(input, BlockError.of(BlockError.INVALID_PARAMETERS,
                    describe(e), false)));
        }
        BlockContext context = new BlockContext(input.runId(), input.blockId(), input.attempt(), input.id());
        Uni<Object> execution;
        try {
            execution = block.execute(parameters, context);
        } catch (RuntimeException e) {
            execution = Uni.createFrom().failure(e);
        }
        return execution
                .ifNoItem().after(deadline).failWith(() -> BlockFailure.retryable(BlockError.TIMEOUT,
                        "block '" + input.blockId() + "' did not finish within " + deadline))
                .map(output -> output(input, output))
                .onFailure().recoverWithItem(failure -> error(input, toError(input, failure)));
    }

    /**
     * One pass, straight into the parameters record, for what is nearly always well-formed
     * (a 20 KB page was parsed twice before: into a tree, then from the tree into the record).
     * Only input that does not read that way is read again, to report what is wrong with it.
     */
    private Object readParameters(byte[] data) throws IOException {
        try {
            Object parameters = parametersReader.readValue(data);
            if (parameters != null) {
                return parameters;
            }
        } catch (IOException | RuntimeException wrong) {
            // described by the careful reading below, in the words it has always used
        }
        return readParametersCarefully(data);
    }

    /**
     * Unknown keys are reported before anything else: a misspelt key is the likeliest reason
     * a required one is missing, and the record's constructor would report only the latter.
     */
    private Object readParametersCarefully(byte[] data) throws IOException {
        JsonNode tree = mapper.readTree(data);
        if (tree == null || !tree.isObject()) {
            throw new IOException("parameters must be a JSON object, got "
                    + (tree == null || tree.isMissingNode() ? "nothing" : tree.getNodeType().name().toLowerCase()));
        }
        if (!parameterNames.isEmpty()) {
            for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!parameterNames.contains(name)) {
                    throw UnrecognizedPropertyException.from(mapper.treeAsTokens(tree), tree, name,
                            List.copyOf(parameterNames));
                }
            }
        }
        return parametersReader.readValue(tree);
    }

    /** The error event for an input that could not even be read as an event. */
    public Event badEvent(Subjects.BlockAddress address, String eventId, String message) {
        return result(eventId, BlockLeg.ERROR, address.runId(), address.blockId(), 1,
                json(BlockError.of(BlockError.BAD_EVENT, message, false)));
    }

    private Event output(Event input, Object output) {
        return result(input.id(), BlockLeg.OUTPUT, input.runId(), input.blockId(), input.attempt(), json(output));
    }

    private Event error(Event input, BlockError error) {
        return result(input.id(), BlockLeg.ERROR, input.runId(), input.blockId(), input.attempt(), json(error));
    }

    private Event result(String inputId, BlockLeg leg, String runId, String blockId, int attempt, byte[] data) {
        return new Event(inputId + "/" + leg.token(), source, Subjects.blockEventType(block.type(), leg),
                OffsetDateTime.now(ZoneOffset.UTC), runId, blockId, attempt, data);
    }

    private BlockError toError(Event input, Throwable failure) {
        if (failure instanceof BlockFailure blockFailure) {
            return blockFailure.error();
        }
        LOG.errorf(failure, "block %s of run %s failed unexpectedly", input.blockId(), input.runId());
        return BlockError.of(BlockError.INTERNAL, failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()), false);
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
        }
    }

    /** A parameter error in words a workflow author can act on, with the JSON path. */
    static String describe(IOException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return "unknown parameter '" + unknown.getPropertyName() + "'"
                    + (known.isEmpty() ? "" : " (known: " + known + ")");
        }
        if (e instanceof ValueInstantiationException invalid && invalid.getCause() != null) {
            return invalid.getCause().getMessage();
        }
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return "parameter '" + path + "': " + mapping.getOriginalMessage();
        }
        if (e instanceof JsonProcessingException json) {
            return "parameters are not valid JSON: " + json.getOriginalMessage();
        }
        return e.getMessage();
    }

}
