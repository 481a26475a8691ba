package io.tributary.deploy;

import io.tributary.jobs.common.JobEnvironments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Where state lives, for a deployment ready to apply (a rendered overlay; the base has no bucket):
 * Kubernetes HA, and checkpoints, savepoints and HA data on object storage. The job and the operator
 * must agree on the directories: the job checkpoints where its own configuration says (its
 * argument), the operator takes upgrade savepoints where the cluster configuration says.
 */
final class StateStorageCheck {
    static final Set<String> OBJECT_STORAGE = Set.of("s3", "s3a", "s3p", "gs", "abfs", "abfss", "wasbs", "oss");

    private StateStorageCheck() {}

    static List<String> check(List<Manifest> manifests) {
        List<String> complaints = new ArrayList<>();
        for (DeployedJob job : DeployedJob.resolvable(manifests)) {
            String id = job.deployment().id();
            Map<String, String> cluster = job.deployment().flinkConfiguration();
            if (!"kubernetes".equals(cluster.get(HighAvailabilityOptions.HA_MODE.key()))) {
                complaints.add(id + ": " + HighAvailabilityOptions.HA_MODE.key() + " must be kubernetes");
            }
            for (String key : List.of(HighAvailabilityOptions.HA_STORAGE_PATH.key(),
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(), CheckpointingOptions.SAVEPOINT_DIRECTORY.key())) {
                String directory = cluster.get(key);
                if (directory == null || !OBJECT_STORAGE.contains(scheme(directory))) {
                    complaints.add(id + ": flinkConfiguration " + key + " must be on object storage, is " + directory);
                }
            }
            ReadableConfig jobs;
            try {
                jobs = JobEnvironments.create(job.job(), job.configuration(), Path.of("unused")).getConfiguration();
            } catch (IllegalArgumentException e) {
                complaints.add(id + ": the job would not start: " + e.getMessage());
                continue;
            }
            for (var option : List.of(CheckpointingOptions.CHECKPOINTS_DIRECTORY, CheckpointingOptions.SAVEPOINT_DIRECTORY)) {
                String own = jobs.get(option);
                if (!own.equals(cluster.get(option.key()))) {
                    complaints.add(id + ": the job uses " + option.key() + " " + own + ", flinkConfiguration says "
                            + cluster.get(option.key()));
                }
            }
        }
        return complaints;
    }

    private static String scheme(String uri) {
        int colon = uri.indexOf("://");
        return colon < 0 ? "" : uri.substring(0, colon);
    }
}
