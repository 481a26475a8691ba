package io.tributary.deploy;

import java.util.ArrayList;
import java.util.List;

/**
 * The job image: the official Flink image of the jobs' own Flink and Java versions (pinned), the
 * job jar where the FlinkDeployments look for it, and a non-root user.
 */
final class DockerfileCheck {
    private DockerfileCheck() {}

    static String expectedBase() {
        return "flink:" + Build.flinkVersion() + "-java" + Build.javaRelease();
    }

    static List<String> check(String dockerfile, List<Manifest> manifests) {
        List<String> complaints = new ArrayList<>();
        List<String> from = instructions(dockerfile, "FROM");
        if (from.size() != 1 || !from.get(0).equals(expectedBase())) {
            complaints.add("Dockerfile: FROM " + String.join(", ", from) + ", the jobs need " + expectedBase());
        }
        List<String> copied = instructions(dockerfile, "COPY").stream()
                .map(c -> c.substring(c.lastIndexOf(' ') + 1))
                .toList();
        for (FlinkDeploymentView d : FlinkDeploymentView.all(manifests)) {
            String jar = d.job().path("jarURI").asText().replaceFirst("^local://", "");
            if (!copied.contains(jar)) {
                complaints.add(d.id() + ": jarURI local://" + jar + " is not a file the Dockerfile copies " + copied);
            }
        }
        List<String> users = instructions(dockerfile, "USER");
        String user = users.isEmpty() ? "root" : users.get(users.size() - 1);
        if (!user.matches("[1-9][0-9]*(:[0-9]+)?")) {
            complaints.add("Dockerfile: the image must end with a numeric non-root USER, not " + user);
        }
        return complaints;
    }

    /** The arguments of every instruction of that name, continuation lines joined. */
    private static List<String> instructions(String dockerfile, String name) {
        List<String> found = new ArrayList<>();
        for (String line : dockerfile.replaceAll("\\\\\\R", " ").split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.regionMatches(true, 0, name + " ", 0, name.length() + 1)) {
                found.add(trimmed.substring(name.length()).strip());
            }
        }
        return found;
    }
}
