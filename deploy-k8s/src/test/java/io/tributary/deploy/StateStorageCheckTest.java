package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class StateStorageCheckTest {
    private static final String ID = "FlinkDeployment/transactions-enrichment";

    @Test
    void theBaseAloneCouldNotStart() {
        List<String> expected = new ArrayList<>();
        for (String id : List.of(ID, "FlinkDeployment/fraud-detection", "FlinkDeployment/live-metrics",
                "FlinkDeployment/warehouse-sink")) {
            expected.addAll(List.of(
                    id + ": flinkConfiguration high-availability.storageDir must be on object storage, is null",
                    id + ": flinkConfiguration execution.checkpointing.dir must be on object storage, is null",
                    id + ": flinkConfiguration execution.checkpointing.savepoint-dir must be on object storage, is null",
                    id + ": the job would not start: execution.checkpointing.dir is required with the production profile,"
                            + " e.g. s3://bucket/checkpoints"));
        }
        assertThat(StateStorageCheck.check(RealManifests.base())).containsExactlyElementsOf(expected);
    }

    @Test
    void theOperatorsSavepointsMustGoWhereTheJobPutsThem() {
        assertThat(StateStorageCheck.check(deployable(d -> {}))).isEmpty();
        var broken = deployable(d -> ((ObjectNode) d.path("spec").path("flinkConfiguration"))
                .put("execution.checkpointing.savepoint-dir", "s3://state/savepoints")
                .put("high-availability.type", "NONE"));
        assertThat(StateStorageCheck.check(broken)).containsExactly(
                ID + ": high-availability.type must be kubernetes",
                ID + ": the job uses execution.checkpointing.savepoint-dir s3://state/job/savepoints, "
                        + "flinkConfiguration says s3://state/savepoints");
    }

    /** The base with what an overlay adds to every deployment, then {@code edit} on the first. */
    private static List<Manifest> deployable(Consumer<ObjectNode> edit) {
        var withState = RealManifests.baseWithEach("FlinkDeployment", d -> {
            ((ObjectNode) d.path("spec").path("flinkConfiguration"))
                    .put("execution.checkpointing.dir", "s3://state/job/checkpoints")
                    .put("execution.checkpointing.savepoint-dir", "s3://state/job/savepoints")
                    .put("high-availability.storageDir", "s3://state/job/ha");
            JobDeploymentsCheckTest.args(d).add("-Dexecution.checkpointing.dir=s3://state/job/checkpoints");
        });
        return RealManifests.with(withState, "FlinkDeployment", edit);
    }
}
