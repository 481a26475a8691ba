package io.tributary.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.registry.IncompatibleSchemaException;
import io.tributary.registry.InvalidSchemaException;
import io.tributary.registry.RegistryUnavailableException;
import io.tributary.registry.SchemaNotFoundException;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.registry.SchemaRegistryException;
import io.tributary.registry.SubjectNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The HTTP side of the registry client: the Confluent media types, authentication, TLS, and
 * bounded retries with exponential backoff on connection errors and 5xx answers. A 4xx answer is
 * turned into its typed exception at once.
 */
public final class RegistryHttp {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaRegistryConfig config;
    private final HttpClient http;
    private final String authorization;

    public RegistryHttp(SchemaRegistryConfig config) {
        this.config = config;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (config.url().startsWith("https://")) {
            builder.sslContext(TlsContexts.create(config));
        }
        this.http = builder.build();
        if (config.basicAuthUser() != null) {
            String pair = config.basicAuthUser() + ":" + config.basicAuthPassword();
            this.authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        } else if (config.hasBearerToken()) {
            this.authorization = "Bearer " + config.bearerToken();
        } else {
            this.authorization = null;
        }
    }

    /** GETs {@code path} (relative to the base URL, starting with /) and returns the JSON answer. */
    public JsonNode get(String path, String subject) throws SchemaRegistryException {
        return send("GET", path, null, subject);
    }

    /** POSTs {@code body} to {@code path} and returns the JSON answer. */
    public JsonNode post(String path, JsonNode body, String subject) throws SchemaRegistryException {
        return send("POST", path, body, subject);
    }

    /** PUTs {@code body} to {@code path} and returns the JSON answer. */
    public JsonNode put(String path, JsonNode body, String subject) throws SchemaRegistryException {
        return send("PUT", path, body, subject);
    }

    private JsonNode send(String method, String path, JsonNode body, String subject) throws SchemaRegistryException {
        HttpRequest request = request(method, path, body);
        String lastProblem = null;
        Throwable lastCause = null;
        int lastStatus = 0;
        int lastErrorCode = 0;
        for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
            HttpResponse<String> response = null;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw interrupted(e);
            } catch (IOException e) {
                lastStatus = 0;
                lastErrorCode = 0;
                lastProblem = describe(e);
                lastCause = e;
            }
            if (response != null) {
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return parse(response.body(), method, path);
                }
                ErrorBody error = ErrorBody.parse(response.body());
                if (status < 500) {
                    throw clientError(status, error, method, path, subject);
                }
                lastStatus = status;
                lastErrorCode = error.code();
                lastProblem = "HTTP " + status + (error.code() != 0 ? " error code " + error.code() : "")
                        + ": " + error.message();
                lastCause = null;
            }
            if (attempt < config.maxAttempts()) {
                sleep(backoff(attempt));
            }
        }
        throw new RegistryUnavailableException(
                "Schema registry " + config.url() + " unreachable after " + config.maxAttempts()
                        + (config.maxAttempts() == 1 ? " try" : " tries") + " (" + method + " " + path + "; last: "
                        + lastProblem + ")",
                lastStatus, lastErrorCode, subject, config.maxAttempts(), lastCause);
    }

    private HttpRequest request(String method, String path, JsonNode body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(config.url() + path))
                .timeout(config.requestTimeout())
                .header("Accept", ACCEPT);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", CONTENT_TYPE);
            builder.method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static JsonNode parse(String body, String method, String path) throws SchemaRegistryException {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new SchemaRegistryException(
                    "Schema registry answered " + method + " " + path + " with something that is not JSON", 200, 0, null, e);
        }
    }

    private SchemaRegistryException clientError(int status, ErrorBody error, String method, String path, String subject) {
        String about = subject != null ? " for subject '" + subject + "'" : "";
        String message = String.format("%s%s (HTTP %d, error code %d): %s", title(status, error.code()), about, status,
                error.code(), error.message());
        if (status == 404 && (error.code() == 40401 || error.code() == 40402)) {
            return new SubjectNotFoundException(message, status, error.code(), subject);
        }
        if (status == 404 && error.code() == 40403) {
            return new SchemaNotFoundException(message, status, error.code(), subject);
        }
        if (status == 409) {
            return new IncompatibleSchemaException(message, status, error.code(), subject);
        }
        if (status == 422) {
            return new InvalidSchemaException(message, status, error.code(), subject);
        }
        return new SchemaRegistryException(message + " [" + method + " " + path + "]", status, error.code(), subject);
    }

    private static String title(int status, int code) {
        if (status == 404 && (code == 40401 || code == 40402)) {
            return "Subject not found";
        }
        if (status == 404 && code == 40403) {
            return "Schema not found";
        }
        return switch (status) {
            case 409 -> "Incompatible schema";
            case 422 -> "Invalid schema";
            case 401 -> "Not authenticated by the schema registry";
            case 403 -> "Not authorized by the schema registry";
            default -> "Schema registry refused the request";
        };
    }

    private Duration backoff(int attempt) {
        long base = config.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, config.maxBackoff().toMillis());
        // Jitter, so that many task managers retrying at once do not hit the registry in lockstep.
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private static void sleep(Duration duration) throws SchemaRegistryException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(e);
        }
    }

    private static SchemaRegistryException interrupted(InterruptedException e) {
        return new SchemaRegistryException("Interrupted while calling the schema registry", 0, 0, null,
                new InterruptedIOException(e.getMessage()));
    }

    private static String describe(IOException e) {
        String name = e.getClass().getSimpleName();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : e.getMessage();
        if (message == null && e instanceof ConnectException) {
            message = "connection refused";
        }
        return message == null ? name : name + ": " + message;
    }

    /** The {@code error_code} and {@code message} of a Confluent error answer, or the raw text. */
    private record ErrorBody(int code, String message) {
        static ErrorBody parse(String body) {
            try {
                JsonNode node = JSON.readTree(body);
                if (node != null && node.isObject()) {
                    return new ErrorBody(node.path("error_code").asInt(0), node.path("message").asText(""));
                }
            } catch (IOException e) {
                // not JSON: fall through to the raw text
            }
            String text = body == null ? "" : body.strip();
            return new ErrorBody(0, text.length() > 300 ? text.substring(0, 300) + "..." : text);
        }
    }
}
