package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;

/** One Kubernetes document, and where it came from (a file, or a rendered overlay). */
record Manifest(String source, JsonNode doc) {

    String kind() {
        return doc.path("kind").asText("");
    }

    String name() {
        return doc.path("metadata").path("name").asText("");
    }

    /** {@code Kind/name}: how every complaint names a document. */
    String id() {
        return kind() + "/" + name();
    }

    boolean is(String kind) {
        return kind().equals(kind);
    }

    /** A deep copy, for tests that break a real manifest. */
    Manifest copy() {
        return new Manifest(source, doc.deepCopy());
    }
}
