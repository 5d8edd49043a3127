package io.ninetail.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScrapeWorkloadTest {

    private static final ScrapePage PAGE = ScrapePage.at("http://127.0.0.1:4711");

    @Test
    void theTitleAndAllFiftyLinksInOrderAreACorrectAnswer() {
        assertDoesNotThrow(() -> ScrapeWorkload.check(200, answer(PAGE.title(), PAGE.links()), PAGE));
    }

    @Test
    void anyOtherAnswerIsAnError() {
        List<String> missingOne = new ArrayList<>(PAGE.links());
        missingOne.remove(49);
        List<String> relative = PAGE.links().stream().map(link -> link.replace("http://127.0.0.1:4711", "")).toList();

        assertThrows(WrongAnswer.class, () -> ScrapeWorkload.check(500, answer(PAGE.title(), PAGE.links()), PAGE));
        assertThrows(WrongAnswer.class, () -> ScrapeWorkload.check(200, "<html>", PAGE));
        assertThrows(WrongAnswer.class, () -> ScrapeWorkload.check(200, answer("Other", PAGE.links()), PAGE));
        assertThrows(WrongAnswer.class, () -> ScrapeWorkload.check(200, answer(PAGE.title(), missingOne), PAGE));
        WrongAnswer wrong = assertThrows(WrongAnswer.class,
                () -> ScrapeWorkload.check(200, answer(PAGE.title(), relative), PAGE));
        assertTrue(wrong.getMessage().contains("first: /articles/01.html"), wrong.getMessage());
    }

    private static String answer(String title, List<String> links) {
        ObjectNode answer = ApiClient.JSON.createObjectNode().put("title", title);
        links.forEach(answer.putArray("links")::add);
        return answer.toString();
    }
}
