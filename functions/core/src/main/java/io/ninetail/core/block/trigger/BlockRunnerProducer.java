package io.ninetail.core.block.trigger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.ninetail.core.block.Block;
import io.ninetail.core.block.BlockMetrics;
import io.ninetail.core.block.BlockRunner;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Binds the one {@link Block} of a function app to its triggers. Only function apps (those
 * that set {@code ninetail.block-function=true}) get triggers.
 */
@IfBuildProperty(name = "ninetail.block-function", stringValue = "true")
public class BlockRunnerProducer {

    @Produces
    @Singleton
    BlockRunner runner(Block<?, ?> block, ObjectMapper mapper, MeterRegistry registry,
                       @ConfigProperty(name = "ninetail.block.deadline", defaultValue = "PT5M") Duration deadline) {
        return new BlockRunner(block, mapper, deadline, new BlockMetrics(registry, block.type()));
    }
}
