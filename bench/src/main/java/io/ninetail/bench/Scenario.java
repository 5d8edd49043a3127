package io.ninetail.bench;

import java.util.List;

/** One thing the bench measures; it answers one or more rows of the report. */
public interface Scenario {

    /** The name {@code --only} selects it by. */
    String name();

    List<Result> run(BenchContext context) throws Exception;
}
