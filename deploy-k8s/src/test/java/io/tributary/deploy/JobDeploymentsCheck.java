package io.tributary.deploy;

import io.tributary.cli.ApplicationMain;
import io.tributary.jobs.catalog.JobCatalog;
import io.tributary.jobs.common.SettingChecks;
import io.tributary.state.StateOptions;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The FlinkDeployments against the code: every job has exactly one deployment and every deployment
 * runs a real job, through the real entry point, with arguments and options the job accepts, in
 * the production profile, with the upgrade mode its state needs, the environment its Kafka clients
 * read, and a transactional id prefix (if it writes to Kafka) no other deployment uses. The job's
 * own start-up checks run on the arguments, among them that its sink transactions outlive every
 * tolerated failed checkpoint plus a restart; the timings they use must not be set in
 * flinkConfiguration, where the job would ignore them.
 */
final class JobDeploymentsCheck {
    static final String JAR_DIRECTORY = "local:///opt/flink/usrlib/";

    private JobDeploymentsCheck() {}

    static List<String> check(List<Manifest> manifests) {
        List<String> complaints = new ArrayList<>();
        Map<String, List<String>> deploymentsByJob = new TreeMap<>();
        Map<String, List<String>> deploymentsByPrefix = new TreeMap<>();
        for (FlinkDeploymentView deployment : FlinkDeploymentView.all(manifests)) {
            complaints.addAll(entryPoint(deployment));
            namedJob(deployment).ifPresent(
                    job -> deploymentsByJob.computeIfAbsent(job, j -> new ArrayList<>()).add(deployment.id()));
            DeployedJob.Result result = DeployedJob.of(deployment);
            if (result.job().isEmpty()) {
                complaints.add(deployment.id() + ": " + result.problem());
                continue;
            }
            DeployedJob job = result.job().get();
            if (job.footprint().transactionalIdPrefix() != null) {
                deploymentsByPrefix.computeIfAbsent(job.footprint().transactionalIdPrefix(), p -> new ArrayList<>())
                        .add(deployment.id());
            }
            complaints.addAll(settings(job));
        }
        for (String job : JobCatalog.names()) {
            List<String> deployments = deploymentsByJob.getOrDefault(job, List.of());
            if (deployments.isEmpty()) {
                complaints.add("no FlinkDeployment runs job " + job);
            } else if (deployments.size() > 1) {
                complaints.add("job " + job + " is run by more than one FlinkDeployment: " + deployments);
            }
        }
        deploymentsByPrefix.forEach((prefix, deployments) -> {
            if (deployments.size() > 1) {
                complaints.add(deployments + " share the transactional id prefix " + prefix);
            }
        });
        return complaints;
    }

    /** The job a deployment's arguments name ({@code run JOB ...}), even when the rest is broken. */
    private static Optional<String> namedJob(FlinkDeploymentView d) {
        List<String> args = d.args();
        return args.size() >= 2 && args.get(0).equals("run") && JobCatalog.names().contains(args.get(1))
                ? Optional.of(args.get(1))
                : Optional.empty();
    }

    private static List<String> entryPoint(FlinkDeploymentView d) {
        List<String> complaints = new ArrayList<>();
        String jarUri = d.job().path("jarURI").asText();
        if (!jarUri.startsWith(JAR_DIRECTORY)) {
            complaints.add(d.id() + ": jarURI " + jarUri + " is not a jar of the image under " + JAR_DIRECTORY);
        }
        String entryClass = d.job().path("entryClass").asText();
        if (!entryClass.equals(ApplicationMain.class.getName())) {
            // Tributary.main ends in System.exit, which in application mode ends the JobManager.
            complaints.add(d.id() + ": entryClass " + entryClass + " is not " + ApplicationMain.class.getName()
                    + ", the entry point that never exits the JobManager's JVM");
        }
        try {
            Method main = Class.forName(entryClass, false, JobDeploymentsCheck.class.getClassLoader())
                    .getMethod("main", String[].class);
            if (!Modifier.isStatic(main.getModifiers())) {
                complaints.add(d.id() + ": entryClass " + entryClass + " has no static main(String[])");
            }
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            complaints.add(d.id() + ": entryClass " + entryClass + " is not a class with a main(String[]) in the jobs' code");
        }
        String flinkVersion = d.spec().path("flinkVersion").asText();
        if (!flinkVersion.equals(Build.operatorFlinkVersion())) {
            complaints.add(d.id() + ": flinkVersion " + flinkVersion + " does not match the jobs' Flink "
                    + Build.flinkVersion() + " (" + Build.operatorFlinkVersion() + ")");
        }
        return complaints;
    }

    /** The value in force, written as in a configuration file (a default too, unlike {@code toMap}). */
    private static <T> String written(Configuration c, ConfigOption<T> option) {
        T value = c.get(option);
        if (value == null) {
            return "no value";
        }
        Configuration one = new Configuration();
        one.set(option, value);
        return one.toMap().get(option.key());
    }

    private static List<String> settings(DeployedJob job) {
        List<String> complaints = new ArrayList<>();
        String id = job.deployment().id();
        String profile = job.configuration().get(StateOptions.PROFILE);
        if (!profile.equals("production")) {
            complaints.add(id + ": the job runs with state profile '" + profile
                    + "'; on Kubernetes it must be 'production'");
        }
        String upgradeMode = job.deployment().job().path("upgradeMode").asText("stateless");
        if (job.footprint().stateful() && !upgradeMode.equals("savepoint")) {
            complaints.add(id + ": job " + job.job() + " keeps state, so upgradeMode must be savepoint, not "
                    + upgradeMode);
        }
        // In application mode the job's own configuration (profile, then job.args) overrides the
        // cluster's, so a timing set only in flinkConfiguration is not in force and escapes the
        // job's transaction timeout check while a reader of the manifest believes it.
        Configuration cluster = Configuration.fromMap(job.deployment().flinkConfiguration());
        for (ConfigOption<?> option : SettingChecks.TRANSACTION_TIMEOUT_INPUTS) {
            if (cluster.contains(option) && !Objects.equals(cluster.get(option), job.configuration().get(option))) {
                complaints.add(id + ": flinkConfiguration sets " + option.key() + " to "
                        + job.deployment().flinkConfiguration().get(option.key()) + ", but the job runs with "
                        + written(job.configuration(), option) + " (its profile and job.args win): set it with -D in"
                        + " job.args, where the transaction timeout check sees it");
            }
        }
        for (String variable : job.footprint().kafkaEnvironment()) {
            if (!job.deployment().secretEnvironment().containsKey(variable)) {
                complaints.add(id + ": the Kafka client properties read ${env:" + variable
                        + "}, which the pod template does not set from a Secret");
            }
        }
        return complaints;
    }
}
