package io.tributary.localstack.flink;

import io.tributary.localstack.LocalServers;
import io.tributary.localstack.internal.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Flink cluster in application mode, as the Kubernetes operator runs one, in two OS
 * processes: the JobManager ({@code StandaloneApplicationClusterEntryPoint}, which runs the job
 * jar's entry class in its own JVM) and one TaskManager ({@code TaskManagerRunner}). Both run on the
 * jars of the Flink image's lib/ alone (this module's runtime dependencies), read a Flink 2
 * {@code config.yaml} from their configuration directory, and log to files under {@code target/}.
 * The job jar reaches the TaskManager through the JobManager's blob server, as in a cluster.
 */
public final class FlinkProcessCluster implements AutoCloseable {
    private static final String FLINK_IMAGE_CLASSPATH = "/META-INF/tributary/flink-image.classpath";
    /** The JDK opens Flink's own start-up scripts add on Java 17. */
    private static final List<String> JVM_OPENS = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED");
    private static final Pattern JOB = Pattern.compile("\"jid\":\"(\\w+)\",\"name\":\"([^\"]*)\",[^}]*?\"state\":\"(\\w+)\"");
    private static final Pattern LATEST_COMPLETED = Pattern.compile("\"latest\":\\{\"completed\":\\{[^}]*?\"id\":(\\d+)");

    /** The JobManagers started, killed ones included; the last is the current one. */
    private final List<Process> jobManagers = new ArrayList<>();
    private final List<String> jobManagerJvm;
    private final List<String> jobManagerArgs;
    /** The TaskManagers started, killed ones included; the last is the newest. */
    private final List<Process> taskManagers = new ArrayList<>();
    private final int restPort;
    private volatile Path jobManagerLog;
    private final String name;
    private final Path conf;
    private final Map<String, String> environment;
    /**
     * What {@code BashJavaUtils} computed for this cluster's TaskManagers: their JVM's memory flags
     * and their dynamic properties. The configuration is written once, so every TaskManager of the
     * cluster gets the same, and a replacement starts without waiting for a JVM to compute it again.
     */
    private final List<List<String>> taskManagerParameters;
    /** {@code env.java.opts.all} of the configuration, split: added to every process's JVM, as Flink's scripts add it. */
    private final List<String> javaOptions;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private FlinkProcessCluster(Process jobManager, List<String> jobManagerJvm, List<String> jobManagerArgs, int restPort,
            Path jobManagerLog, String name, Path conf, Map<String, String> environment,
            List<List<String>> taskManagerParameters, List<String> javaOptions) {
        this.jobManagers.add(jobManager);
        this.jobManagerJvm = List.copyOf(jobManagerJvm);
        this.jobManagerArgs = List.copyOf(jobManagerArgs);
        this.taskManagerParameters = taskManagerParameters;
        this.javaOptions = javaOptions;
        this.restPort = restPort;
        this.jobManagerLog = jobManagerLog;
        this.name = name;
        this.conf = conf;
        this.environment = Map.copyOf(environment);
    }

    /**
     * Starts the cluster and its application.
     *
     * @param name names the log files, {@code target/test-logs/<name>-jobmanager.log} and {@code -taskmanager.log}
     *     (relative to the working directory)
     * @param work an empty directory for the configuration and Flink's temporary files
     * @param jobJar the job jar, given to the JobManager as {@code --jars}, as the operator's {@code jarURI}
     * @param entryClass the application's main class ({@code job.entryClass})
     * @param flinkConfiguration added to the cluster's {@code config.yaml} ({@code flinkConfiguration});
     *     {@code env.java.opts.all} is added to each process's JVM options, as Flink's start-up scripts do
     * @param environment added to both processes' environment
     * @param programArguments the entry class's arguments ({@code job.args})
     */
    public static FlinkProcessCluster startApplication(String name, Path work, Path jobJar, String entryClass,
            Map<String, String> flinkConfiguration, Map<String, String> environment, List<String> programArguments)
            throws IOException {
        return startApplication(name, work, jobJar, entryClass, flinkConfiguration, environment, programArguments, Map.of());
    }

    /**
     * Starts the cluster and its application, with some loggers at other levels than INFO, e.g.
     * the job's own at DEBUG for a test that searches the logs for what must never be logged.
     *
     * @param logLevels log4j levels by logger name, e.g. {@code io.tributary -> DEBUG}
     * @see #startApplication(String, Path, Path, String, Map, Map, List)
     */
    public static FlinkProcessCluster startApplication(String name, Path work, Path jobJar, String entryClass,
            Map<String, String> flinkConfiguration, Map<String, String> environment, List<String> programArguments,
            Map<String, String> logLevels) throws IOException {
        int restPort = FreePorts.pick();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("jobmanager.rpc.address", "localhost");
        config.put("jobmanager.rpc.port", String.valueOf(FreePorts.pick()));
        config.put("jobmanager.bind-host", "localhost");
        config.put("rest.address", "localhost");
        config.put("rest.bind-address", "localhost");
        config.put("rest.port", String.valueOf(restPort));
        config.put("taskmanager.host", "localhost");
        config.put("taskmanager.bind-host", "localhost");
        config.put("taskmanager.numberOfTaskSlots", "2");
        config.put("taskmanager.memory.process.size", "1600m");
        config.put("jobmanager.memory.process.size", "1024m");
        config.put("io.tmp.dirs", work.resolve("tmp").toString());
        // The JobManager copies the job jar into user.artifacts.base-dir (default /opt/flink/artifacts)
        // and keeps a file already there: a jar left by an earlier run on this machine would run
        // instead of the one given. Each cluster fetches into its own work directory.
        config.put("user.artifacts.base-dir", work.resolve("artifacts").toString());
        config.putAll(flinkConfiguration);
        Path conf = Files.createDirectories(work.resolve("conf"));
        Files.createDirectories(work.resolve("tmp"));
        StringBuilder yaml = new StringBuilder("# Written by FlinkProcessCluster\n");
        config.forEach((key, value) -> yaml.append(key).append(": ").append(quoted(value)).append('\n'));
        Files.writeString(conf.resolve("config.yaml"), yaml);
        Files.writeString(conf.resolve("log4j-console.properties"), """
                rootLogger.level = INFO
                rootLogger.appenderRef.console.ref = Console
                appender.console.type = Console
                appender.console.name = Console
                appender.console.layout.type = PatternLayout
                appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n
                logger.kafka.name = org.apache.kafka
                logger.kafka.level = WARN
                """ + loggers(logLevels));
        Path logs = Files.createDirectories(Path.of("target", "test-logs"));
        Path jobManagerLog = logs.resolve(name + "-jobmanager.log");

        // --jars takes any number of values: a single-valued option must follow it, or the program's
        // arguments would be read as more jars.
        List<String> jobManagerArgs = new ArrayList<>(List.of("--jars", jobJar.toAbsolutePath().toUri().toString(),
                "--configDir", conf.toString(), "--job-classname", entryClass));
        jobManagerArgs.addAll(programArguments);
        // The JobManager's and the TaskManagers' parameters are computed at the same time, each in a
        // JVM of its own, rather than one after the other.
        CompletableFuture<List<List<String>>> taskManagerParameters = CompletableFuture.supplyAsync(() -> {
            try {
                return resourceParameters(conf, "GET_TM_RESOURCE_PARAMS");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        List<String> javaOptions = config.getOrDefault("env.java.opts.all", "").isBlank() ? List.of()
                : List.of(config.get("env.java.opts.all").strip().split("\\s+"));
        List<String> jobManagerJvm = new ArrayList<>(resourceParameters(conf, "GET_JM_RESOURCE_PARAMS").get(0));
        jobManagerJvm.addAll(javaOptions);
        Process jobManager = start(conf, jobManagerJvm,
                "org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint", jobManagerArgs, environment,
                jobManagerLog);
        List<List<String>> taskManagerResources;
        try {
            taskManagerResources = taskManagerParameters.join();
        } catch (CompletionException e) {
            jobManager.destroyForcibly();
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
        FlinkProcessCluster cluster = new FlinkProcessCluster(jobManager, jobManagerJvm, jobManagerArgs, restPort,
                jobManagerLog, name, conf, environment, taskManagerResources, javaOptions);
        cluster.startTaskManager();
        return cluster;
    }

    /**
     * Starts one more TaskManager, e.g. in place of a killed one. Its log is
     * {@code target/test-logs/<name>-taskmanager.log} for the first, {@code -taskmanager-<n>.log} for
     * the n-th after it.
     */
    public synchronized void startTaskManager() throws IOException {
        List<String> taskManagerArgs = new ArrayList<>(List.of("--configDir", conf.toString()));
        taskManagerArgs.addAll(taskManagerParameters.get(1));
        String log = name + "-taskmanager" + (taskManagers.isEmpty() ? "" : "-" + taskManagers.size()) + ".log";
        List<String> jvm = new ArrayList<>(taskManagerParameters.get(0));
        jvm.addAll(javaOptions);
        taskManagers.add(start(conf, jvm, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                taskManagerArgs, environment, Path.of("target", "test-logs", log)));
    }

    /**
     * Kills the newest running TaskManager with SIGKILL, as the kernel's OOM killer or a lost node
     * would: no shutdown hook, no chance to abort transactions or clean up. Returns its pid once
     * it is gone.
     */
    public synchronized long killTaskManager() throws InterruptedException {
        for (int i = taskManagers.size() - 1; i >= 0; i--) {
            Process taskManager = taskManagers.get(i);
            if (taskManager.isAlive()) {
                // On Linux destroyForcibly sends SIGKILL.
                taskManager.destroyForcibly();
                if (!taskManager.waitFor(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("TaskManager " + taskManager.pid() + " did not die within 10 s of SIGKILL");
                }
                return taskManager.pid();
            }
        }
        throw new IllegalStateException("No TaskManager is running");
    }

    /**
     * Kills the JobManager with SIGKILL, as a lost node would; returns its pid once it is gone.
     * Its job survives only with high availability configured ({@code high-availability.type}):
     * then a JobManager started by {@link #startJobManager()} recovers it from its last checkpoint.
     */
    public synchronized long killJobManager() throws InterruptedException {
        Process jobManager = jobManager();
        jobManager.destroyForcibly();
        if (!jobManager.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("JobManager " + jobManager.pid() + " did not die within 10 s of SIGKILL");
        }
        return jobManager.pid();
    }

    /**
     * Starts a JobManager in place of a killed one, with the same configuration, job jar and
     * program arguments, as Kubernetes restarts the JobManager's pod. Its log is
     * {@code target/test-logs/<name>-jobmanager-<n>.log} for the n-th after the first.
     */
    public synchronized void startJobManager() throws IOException {
        if (jobManager().isAlive()) {
            throw new IllegalStateException("The JobManager " + jobManager().pid() + " still runs");
        }
        Path log = Path.of("target", "test-logs", name + "-jobmanager-" + jobManagers.size() + ".log");
        jobManagers.add(start(conf, jobManagerJvm, "org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint",
                jobManagerArgs, environment, log));
        jobManagerLog = log;
    }

    private synchronized Process jobManager() {
        return jobManagers.get(jobManagers.size() - 1);
    }

    /**
     * What Flink's start-up scripts compute before starting a process, computed the same way
     * ({@code BashJavaUtils}): the JVM's memory flags, then (TaskManager only) the memory and CPU
     * settings as {@code -D} dynamic properties, which {@code TaskManagerRunner} requires.
     */
    private static List<List<String>> resourceParameters(Path conf, String command) throws IOException {
        Process process = new ProcessBuilder(java(), "-cp", flinkImageClasspath(),
                "org.apache.flink.runtime.util.bash.BashJavaUtils", command, "--configDir", conf.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<List<String>> results = new ArrayList<>();
        for (String line : output.split("\\R")) {
            if (line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")) {
                String result = line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).strip();
                results.add(result.isEmpty() ? List.of() : List.of(result.split("\\s+")));
            }
        }
        if (results.isEmpty()) {
            throw new IllegalStateException("BashJavaUtils " + command + " printed no result:" + System.lineSeparator() + output);
        }
        return results;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Process start(Path conf, List<String> memory, String mainClass, List<String> args,
            Map<String, String> environment, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(memory);
        command.add("-Dlog4j.configurationFile=" + conf.resolve("log4j-console.properties").toUri());
        command.addAll(JVM_OPENS);
        command.addAll(List.of("-cp", flinkImageClasspath(), mainClass));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("FLINK_CONF_DIR", conf.toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        LocalServers.dieWithThisJvm(process);
        return process;
    }

    static String flinkImageClasspath() throws IOException {
        try (InputStream in = FlinkProcessCluster.class.getResourceAsStream(FLINK_IMAGE_CLASSPATH)) {
            if (in == null) {
                throw new IllegalStateException(FLINK_IMAGE_CLASSPATH + " is missing; build local-stack-flink-cluster with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    /** Whether the JobManager process still runs. */
    public boolean jobManagerAlive() {
        return jobManager().isAlive();
    }

    /** The state of each job by name, as the JobManager's REST API reports it; empty when it does not answer. */
    public Map<String, String> jobStates() {
        Map<String, String> states = new LinkedHashMap<>();
        Matcher m = JOB.matcher(rest("/jobs/overview"));
        while (m.find()) {
            states.put(m.group(2), m.group(3));
        }
        return states;
    }

    /** The id of the job named {@code job}; empty when the JobManager does not answer or knows no such job. */
    public Optional<String> jobId(String job) {
        Matcher m = JOB.matcher(rest("/jobs/overview"));
        while (m.find()) {
            if (m.group(2).equals(job)) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /**
     * The id of the job's latest checkpoint that the current JobManager completed ({@code
     * /jobs/<id>/checkpoints}, {@code latest.completed.id}): ids only grow, across job restarts and,
     * with high availability, across JobManagers; 0 before the first, -1 when it does not answer.
     */
    public long latestCompletedCheckpoint(String jobId) {
        String body = rest("/jobs/" + jobId + "/checkpoints");
        Matcher m = LATEST_COMPLETED.matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : body.contains("\"latest\"") ? 0 : -1;
    }

    /** The body of a GET on the REST API; empty when it does not answer. */
    private String rest(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return ""; // not up yet, or gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Waits until the job is RUNNING, or fails with the JobManager's last log lines. */
    public void awaitRunning(String job, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!"RUNNING".equals(jobStates().get(job))) {
            Process jobManager = jobManager();
            if (System.nanoTime() > deadline || !jobManager.isAlive()) {
                throw new AssertionError(job + " did not reach RUNNING (JobManager " + (jobManager.isAlive() ? "alive"
                        : "exited with " + jobManager.exitValue()) + ", jobs " + jobStates() + "); the JobManager's log ends:"
                        + System.lineSeparator() + logTail());
            }
            sleep(Duration.ofMillis(500));
        }
    }

    /** The last 40 lines of the JobManager's log, for assertion messages. */
    public String logTail() throws IOException {
        List<String> lines = Files.readAllLines(jobManagerLog);
        return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        List<Process> processes;
        synchronized (this) {
            processes = new ArrayList<>(taskManagers);
            processes.addAll(jobManagers);
        }
        // SIGTERM to all of them first, then the waits: they shut down side by side.
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** log4j properties setting each logger's level. */
    private static String loggers(Map<String, String> logLevels) {
        StringBuilder properties = new StringBuilder();
        int i = 0;
        for (Map.Entry<String, String> level : logLevels.entrySet()) {
            properties.append("logger.custom").append(i).append(".name = ").append(level.getKey()).append('\n')
                    .append("logger.custom").append(i).append(".level = ").append(level.getValue()).append('\n');
            i++;
        }
        return properties.toString();
    }

    private static String quoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
