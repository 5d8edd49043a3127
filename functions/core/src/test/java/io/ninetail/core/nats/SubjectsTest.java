package io.ninetail.core.nats;

import io.ninetail.core.nats.Subjects.BlockAddress;
import io.ninetail.core.nats.Subjects.BlockLeg;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubjectsTest {

    @Test
    void blockSubjectsNameTypeRunAndBlock() {
        BlockAddress page = new BlockAddress("fetch", "r1", "page");
        assertEquals("block.fetch.r1.page.input", page.subject(BlockLeg.INPUT));
        assertEquals("block.fetch.r1.page.output", page.subject(BlockLeg.OUTPUT));
        assertEquals("block.fetch.r1.page.error", page.subject(BlockLeg.ERROR));
        assertEquals("block.html-scraper.*.*.input", Subjects.blockInputFilter("html-scraper"));
    }

    @Test
    void blockSubjectParsesBackToItsAddress() {
        assertEquals(new BlockAddress("fetch", "r1", "page"),
                Subjects.parseBlockSubject("block.fetch.r1.page.input", BlockLeg.INPUT));
    }

    @Test
    void foreignSubjectIsRejectedWithItsName() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> Subjects.parseBlockSubject("block.fetch.r1.page.output", BlockLeg.INPUT));
        assertTrue(error.getMessage().contains("block.fetch.r1.page.output"), error.getMessage());
    }

    @Test
    void idsThatWouldBreakSubjectsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BlockAddress("fetch", "r.1", "page"));
        assertThrows(IllegalArgumentException.class, () -> new BlockAddress("fetch", "r1", "pa ge"));
        assertThrows(IllegalArgumentException.class, () -> new BlockAddress("fetch", "r1", "*"));
        assertThrows(IllegalArgumentException.class, () -> Subjects.workflowStart(">"));
    }

    @Test
    void workflowSubjectsGroupUnderTheRun() {
        assertEquals("workflow.r1.start", Subjects.workflowStart("r1"));
        assertEquals("workflow.r1.cancel", Subjects.workflowCancel("r1"));
        assertEquals("workflow.r1.response", Subjects.workflowResponse("r1"));
        assertEquals("workflow.r1.complete", Subjects.workflowComplete("r1"));
        assertEquals("workflow.r1.failed", Subjects.workflowFailed("r1"));
        assertEquals("workflow.r1.cancelled", Subjects.workflowCancelled("r1"));
        assertEquals("workflow.r1.block.page.running", Subjects.blockState("r1", "page", "RUNNING"));
        assertEquals("workflow.r1.>", Subjects.workflowAll("r1"));
    }

    @Test
    void eventTypeIsTheSubjectWithoutIds() {
        assertEquals("block.fetch.output", Subjects.eventType("block.fetch.r1.page.output"));
        assertEquals("workflow.start", Subjects.eventType("workflow.r1.start"));
        assertEquals("workflow.block.completed", Subjects.eventType("workflow.r1.block.page.completed"));
        assertThrows(IllegalArgumentException.class, () -> Subjects.eventType("other.thing"));
    }
}
