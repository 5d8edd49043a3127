package io.ninetail.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error becomes an RFC 9457 problem, whatever raised it. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.toResponse();
    }

    /** JAX-RS' own errors (no such path, method not allowed, unsupported media type…), headers kept. */
    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        if (status < 400) {
            return original;
        }
        Response.ResponseBuilder problem = Problem.http(status, detail(status, e)).response();
        original.getStringHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("content-type") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(value -> problem.header(name, value));
            }
        });
        return problem.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected failure", e);
        return Problem.of(500, "internal", "Internal error",
                "the api failed unexpectedly (" + e.getClass().getSimpleName() + "); its log has the details")
                .toResponse();
    }

    private static String detail(int status, WebApplicationException e) {
        return switch (status) {
            case 404 -> "no such resource";
            case 405 -> "this resource does not answer that method";
            case 413 -> "the request body is larger than this api accepts (quarkus.http.limits.max-body-size)";
            case 415 -> "unsupported content type";
            default -> e.getMessage();
        };
    }
}
