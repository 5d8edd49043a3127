package io.ninetail.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** The workflows the scenarios run, as the api receives them (object form). */
public final class Workflows {

    public static final String HOP_SINGLE = "bench-hop-1";
    public static final String HOP_CHAIN = "bench-hop-10";
    public static final int CHAIN_LENGTH = 10;
    public static final String SCRAPE = "bench-scrape";
    public static final String SCRAPE_HOOK = "bench-scrape";
    public static final String SCRAPE_EXTRA_HOP = "bench-scrape-extra-hop";
    public static final String FAN_OUT = "bench-fan-out";
    public static final String SINGLE_FETCH = "bench-fetch-1";
    public static final int FAN_OUT_WIDTH = 50;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Workflows() {
    }

    /** t1 → t2 → … → tN, each transform adding one to the one before: the run's output is {"tN": N}. */
    public static ObjectNode transformChain(String name, int length) {
        ObjectNode workflow = named(name);
        ArrayNode blocks = workflow.putArray("blocks");
        for (int i = 1; i <= length; i++) {
            ObjectNode block = blocks.addObject().put("id", "t" + i).put("type", "transform");
            if (i == 1) {
                block.putObject("with").put("value", 1);
            } else {
                block.putArray("needs").add("t" + (i - 1));
                block.putObject("with").put("value", "${ .t" + (i - 1) + " + 1 }");
            }
        }
        return workflow;
    }

    /**
     * The webhook of issue 9: hook → fetch the URL the caller posts → html-scraper (title and
     * every link) → response with what was scraped.
     */
    public static ObjectNode scrape() {
        ObjectNode workflow = named(SCRAPE);
        ArrayNode blocks = workflow.putArray("blocks");
        blocks.addObject().put("id", "trigger").put("type", "hook")
                .putObject("with").put("path", SCRAPE_HOOK).put("method", "POST");
        ObjectNode page = blocks.addObject().put("id", "page").put("type", "fetch");
        page.putArray("needs").add("trigger");
        page.putObject("with").put("url", "${ .trigger.body.url }");
        ObjectNode scrape = blocks.addObject().put("id", "scrape").put("type", "html-scraper");
        scrape.putArray("needs").add("page");
        ObjectNode extract = scrape.putObject("with").putObject("extract");
        extract.putObject("title").put("selector", "title");
        extract.putObject("links").put("selector", "a[href]").put("attribute", "href").put("all", true);
        ObjectNode reply = blocks.addObject().put("id", "reply").put("type", "response");
        reply.putArray("needs").add("scrape");
        reply.putObject("with").put("status", 200).put("body", "${ .scrape }");
        return workflow;
    }

    /**
     * {@link #scrape()} with one block more, a transform that passes the scraped record on
     * between html-scraper and response: what one hop costs under load, the rest being equal.
     */
    public static ObjectNode scrapeWithExtraHop() {
        ObjectNode workflow = scrape();
        workflow.put("name", SCRAPE_EXTRA_HOP);
        ArrayNode blocks = (ArrayNode) workflow.get("blocks");
        ((ObjectNode) blocks.get(0).get("with")).put("path", SCRAPE_EXTRA_HOP);
        ObjectNode shape = NODES.objectNode().put("id", "shape").put("type", "transform");
        shape.putArray("needs").add("scrape");
        shape.putObject("with").put("value", "${ .scrape }");
        blocks.insert(3, shape);
        ObjectNode reply = (ObjectNode) blocks.get(4);
        reply.putArray("needs").add("shape");
        ((ObjectNode) reply.get("with")).put("body", "${ .shape }");
        return workflow;
    }

    /** f01…f50 fetched at once, then one transform that needs them all: output {"join": {"ok": 50}}. */
    public static ObjectNode fanOut(List<String> urls) {
        ObjectNode workflow = named(FAN_OUT);
        ArrayNode blocks = workflow.putArray("blocks");
        ObjectNode join = NODES.objectNode().put("id", "join").put("type", "transform");
        ArrayNode needs = join.putArray("needs");
        for (int i = 0; i < urls.size(); i++) {
            String id = fetchId(i + 1);
            blocks.addObject().put("id", id).put("type", "fetch").putObject("with").put("url", urls.get(i));
            needs.add(id);
        }
        join.putObject("with").putObject("value").put("ok", "${ [.[] | select(.status == 200)] | length }");
        blocks.add(join);
        return workflow;
    }

    /** One fetch alone: what the fan-out is compared with. Output {"f01": {status, …, elapsedMs}}. */
    public static ObjectNode singleFetch(String url) {
        ObjectNode workflow = named(SINGLE_FETCH);
        workflow.putArray("blocks").addObject().put("id", fetchId(1)).put("type", "fetch")
                .putObject("with").put("url", url);
        return workflow;
    }

    public static String fetchId(int i) {
        return String.format("f%02d", i);
    }

    private static ObjectNode named(String name) {
        return NODES.objectNode().put("name", name);
    }
}
