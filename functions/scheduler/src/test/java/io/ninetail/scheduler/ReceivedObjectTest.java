package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceivedObjectTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void anOutputObjectIsWrittenBackAsTheBytesItCameAsWhereverItSits() throws Exception {
        // Spacing the scheduler's own writer would never produce: proof the bytes are copied as they are.
        String received = "{\"body\" : \"<a href=\\\"/x\\\">\\u00e9</a>\",  \"status\":200}";
        JsonNode output = ReceivedObject.read(mapper, received.getBytes(StandardCharsets.UTF_8));

        assertEquals(mapper.readTree(received), output, "reads as the same tree");
        assertEquals(200, output.get("status").asInt());
        ObjectNode run = JsonNodeFactory.instance.objectNode();
        run.set("output", output);
        assertEquals("{\"output\":" + received + "}", new String(mapper.writeValueAsBytes(run), StandardCharsets.UTF_8));
        assertEquals("{\"output\":" + received + "}", mapper.writeValueAsString(run));
    }

    @Test
    void aLargeOutputIsWrittenWholePastTheGeneratorsBuffer() throws Exception {
        String body = "x".repeat(300_000);
        byte[] received = mapper.writeValueAsBytes(Map.of("body", body));
        JsonNode output = ReceivedObject.read(mapper, received);

        JsonNode back = mapper.readTree(mapper.writeValueAsBytes(Map.of("a", 1, "output", output)));

        assertEquals(body, back.get("output").get("body").asText());
    }

    @Test
    void otherValuesAreReadAsUsual() throws Exception {
        assertTrue(ReceivedObject.read(mapper, "[1,2]".getBytes(StandardCharsets.UTF_8)).isArray());
        assertTrue(ReceivedObject.read(mapper, "\"text\"".getBytes(StandardCharsets.UTF_8)).isTextual());
    }
}
