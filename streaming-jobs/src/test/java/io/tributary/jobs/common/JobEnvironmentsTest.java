package io.tributary.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.state.StateOptions;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobEnvironmentsTest {
    @TempDir
    Path dir;

    @Test
    void reusesObjectsAndRefusesKryoUnlessConfiguredOtherwise() {
        StreamExecutionEnvironment env = JobEnvironments.create("job", new Configuration(), dir);
        assertThat(env.getConfig().isObjectReuseEnabled()).isTrue();
        assertThat(env.getConfiguration().get(PipelineOptions.GENERIC_TYPES)).isFalse();

        Configuration off = new Configuration();
        off.set(PipelineOptions.OBJECT_REUSE, false);
        assertThat(JobEnvironments.create("job", off, dir).getConfig().isObjectReuseEnabled()).isFalse();
    }

    @Test
    void theLocalProfileCheckpointsUnderTheLocalDirectoryAndProductionNeedsADirectory() {
        Configuration local = new Configuration();
        local.set(StateOptions.PROFILE, "local");
        var config = JobEnvironments.create("job", local, dir).getConfiguration();
        assertThat(config.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo(dir.resolve("checkpoints").toAbsolutePath().toUri().toString());
        assertThat(config.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).endsWith("/savepoints");

        Configuration production = new Configuration();
        production.set(StateOptions.PROFILE, "production");
        assertThatThrownBy(() -> JobEnvironments.create("job", production, dir))
                .hasMessageStartingWith("execution.checkpointing.dir is required with the production profile");
    }
}
