package io.ninetail.api;

import jakarta.ws.rs.core.Response;

import java.util.Map;

/** Answers the request with its {@link Problem} (see {@link ProblemMappers}). */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final transient Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    public ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.toString(), null, false, false);
        this.problem = problem;
        this.headers = Map.copyOf(headers);
    }

    public Problem problem() {
        return problem;
    }

    public Response toResponse() {
        Response.ResponseBuilder response = problem.response();
        headers.forEach(response::header);
        return response.build();
    }
}
