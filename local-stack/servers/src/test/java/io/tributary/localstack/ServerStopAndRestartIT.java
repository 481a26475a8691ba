package io.tributary.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A real outage of each store the jobs write to or read from: the server's process is stopped,
 * clients are refused, and it comes back on the same port with what it held, as a chaos run needs
 * it. Each test has a server of its own, so that the shared ones of other tests stay up.
 */
class ServerStopAndRestartIT {

    @Test
    void redisRefusesClientsWhileStoppedAndComesBackWithItsData() {
        try (RedisServer redis = RedisServer.start()) {
            long pid = redis.pid();
            try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
                jedis.hset("features:account-1", "count_1h", "3");
            }

            redis.stop();
            assertThat(ProcessHandle.of(pid)).as("the stopped server's process").isEmpty();
            assertThatThrownBy(() -> {
                try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
                    jedis.ping();
                }
            }).isInstanceOf(JedisConnectionException.class);

            redis.restart();
            assertThat(redis.pid()).isNotEqualTo(pid);
            try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
                assertThat(jedis.hget("features:account-1", "count_1h")).isEqualTo("3");
            }
        }
    }

    @Test
    void postgresRefusesClientsWhileStoppedAndComesBackWithItsRows() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            long pid = postgres.pid();
            postgres.createDatabase("restart_it");
            String url = postgres.jdbcUrl("restart_it");
            try (Connection connection = DriverManager.getConnection(url, postgres.user(), postgres.password());
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE minute_totals (minute TEXT PRIMARY KEY, payments BIGINT NOT NULL)");
                statement.execute("INSERT INTO minute_totals VALUES ('12:00', 42)");
            }

            postgres.stop();
            assertThat(ProcessHandle.of(pid)).as("the stopped postmaster").isEmpty();
            assertThatThrownBy(() -> DriverManager.getConnection(url, postgres.user(), postgres.password()).close())
                    .isInstanceOf(SQLException.class).hasRootCauseInstanceOf(ConnectException.class);

            postgres.restart();
            assertThat(postgres.pid()).isNotEqualTo(pid);
            try (Connection connection = DriverManager.getConnection(url, postgres.user(), postgres.password());
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT payments FROM minute_totals WHERE minute = '12:00'")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getLong(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void theRegistryRefusesClientsWhileStoppedAndComesBackWithItsSchemaIds() throws Exception {
        try (SchemaRegistryServer registry = SchemaRegistryServer.start()) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> registered = TestSchemaRegistration.register(http, registry, "restart-it-value");
            assertThat(registered.statusCode()).isEqualTo(200);
            String id = registered.body().replaceAll("\\D", "");
            HttpRequest byId = HttpRequest.newBuilder(URI.create(registry.url() + "/schemas/ids/" + id)).build();

            registry.stop();
            assertThatThrownBy(() -> http.send(byId, HttpResponse.BodyHandlers.discarding()))
                    .isInstanceOf(ConnectException.class);

            registry.restart();
            HttpResponse<String> found = http.send(byId, HttpResponse.BodyHandlers.ofString());
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(found.body()).contains("\\\"name\\\":\\\"T\\\"");
        }
    }
}
