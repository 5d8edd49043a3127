package io.ninetail.scraper;

import com.fasterxml.jackson.databind.JsonNode;
import io.ninetail.testing.WithSchemaDrift;
import org.junit.jupiter.api.Test;

/** The published schema of html-scraper's {@code with} describes exactly what the function reads. */
class HtmlScraperWithSchemaTest {

    private static final JsonNode SCHEMA = WithSchemaDrift.schema("html-scraper");

    @Test
    void schemaDescribesTheParameters() {
        WithSchemaDrift.assertDescribes(SCHEMA, HtmlScraper.Parameters.class);
    }

    @Test
    void schemaDescribesAnExtractionAndARecordField() {
        WithSchemaDrift.assertDescribes(SCHEMA.get("$defs").get("extraction"), HtmlScraper.Extraction.class);
        WithSchemaDrift.assertDescribes(SCHEMA.get("$defs").get("field"), HtmlScraper.Extraction.class);
    }
}
