package io.tributary.benchmarks.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes Confluent-framed Avro (byte 0, a 4-byte schema id, Avro binary) into generic records,
 * with writer schemas fetched by id from the registry's REST API. Written apart from the jobs'
 * serde and registry client on purpose: the oracle's reading of the outputs must not share a bug
 * with the code it checks.
 */
final class WriterSchemas {
    private final String registryUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new HashMap<>();

    WriterSchemas(String registryUrl) {
        this.registryUrl = registryUrl;
    }

    /** The record in {@code framed}; throws when the framing is not there or the id is unknown. */
    GenericRecord decode(byte[] framed) throws IOException {
        if (framed == null || framed.length < 5 || framed[0] != 0) {
            throw new IOException("not Confluent-framed Avro");
        }
        int id = ByteBuffer.wrap(framed, 1, 4).getInt();
        GenericDatumReader<GenericRecord> reader = readers.get(id);
        if (reader == null) {
            reader = new GenericDatumReader<>(fetch(id));
            readers.put(id, reader);
        }
        return reader.read(null, DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null));
    }

    private Schema fetch(int id) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(registryUrl + "/schemas/ids/" + id))
                .header("Accept", "application/vnd.schemaregistry.v1+json").timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("the registry answered " + response.statusCode() + " for schema id " + id);
            }
            return new Schema.Parser().parse(json.readTree(response.body()).get("schema").asText());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching schema id " + id, e);
        }
    }
}
