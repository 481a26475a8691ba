package io.tributary.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Prod is sized above dev: more parallelism, and a standby JobManager that dev does without. */
final class ScalingCheck {
    private ScalingCheck() {}

    static List<String> check(List<Manifest> dev, List<Manifest> prod) {
        List<String> complaints = new ArrayList<>();
        Map<String, FlinkDeploymentView> devByName = FlinkDeploymentView.all(dev).stream()
                .collect(Collectors.toMap(FlinkDeploymentView::name, Function.identity()));
        for (FlinkDeploymentView p : FlinkDeploymentView.all(prod)) {
            FlinkDeploymentView d = devByName.get(p.name());
            if (d == null) {
                complaints.add(p.id() + " is in prod but not in dev");
                continue;
            }
            if (p.parallelism() <= d.parallelism()) {
                complaints.add(p.id() + ": prod parallelism " + p.parallelism() + " is not above dev's " + d.parallelism());
            }
            if (p.jobManagerReplicas() <= d.jobManagerReplicas()) {
                complaints.add(p.id() + ": prod JobManager replicas " + p.jobManagerReplicas() + " are not above dev's "
                        + d.jobManagerReplicas());
            }
        }
        return complaints;
    }
}
