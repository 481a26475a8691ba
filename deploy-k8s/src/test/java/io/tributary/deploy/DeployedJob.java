package io.tributary.deploy;

import io.tributary.cli.RunArguments;
import io.tributary.jobs.catalog.JobCatalog;
import io.tributary.state.JobConfiguration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;

/**
 * A FlinkDeployment read the way the JobManager will run it: its arguments parsed by the real
 * command line, its configuration resolved and checked by the job's own code.
 */
record DeployedJob(FlinkDeploymentView deployment, String job, Configuration configuration,
        Footprints.Footprint footprint) {

    /** The deployment as a job, or why the job would refuse it (one line, the job's own words). */
    record Result(Optional<DeployedJob> job, String problem) {}

    static Result of(FlinkDeploymentView deployment) {
        RunArguments.Parsed parsed;
        try {
            parsed = RunArguments.parse(deployment.args());
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            return failed("job.args: " + e.getMessage());
        }
        if (parsed.configFile() != null) {
            return failed("job.args: --config-file is not read by these checks; pass settings with -D");
        }
        Configuration configuration;
        try {
            configuration = JobConfiguration.resolve(null, parsed.overrides(), JobCatalog.named(parsed.job()).options())
                    .configuration();
        } catch (IllegalArgumentException e) {
            return failed("job.args: " + e.getMessage());
        }
        try {
            Footprints.Footprint footprint = Footprints.of(parsed.job(), configuration,
                    deployment.secretEnvironment().keySet());
            return new Result(Optional.of(new DeployedJob(deployment, parsed.job(), configuration, footprint)), "");
        } catch (IllegalArgumentException e) {
            return failed("the job would not start in these pods: " + e.getMessage());
        }
    }

    /** The deployments that resolve; the others are reported by {@link JobDeploymentsCheck}. */
    static List<DeployedJob> resolvable(List<Manifest> manifests) {
        return FlinkDeploymentView.all(manifests).stream()
                .map(DeployedJob::of)
                .flatMap(r -> r.job().stream())
                .toList();
    }

    private static Result failed(String problem) {
        return new Result(Optional.empty(), problem);
    }
}
