package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Each job's Kafka principal (the KafkaUser whose Secret its pods read the JAAS line from) has
 * exactly the ACLs the job's configuration implies: read and describe its inputs, write and
 * describe its outputs, read its consumer group, write and describe transactional ids under its
 * prefix (a job that writes no topic has none). And only the readers a restricted topic names may read it.
 */
final class KafkaAclCheck {
    /** The key under which Strimzi's User Operator writes a SCRAM user's ready-made JAAS line. */
    static final String JAAS_KEY = "sasl.jaas.config";

    /** One allowed operation on one resource, as text, e.g. {@code Read on topic fx.rates.v1 (literal)}. */
    record Acl(String operation, String type, String name, String pattern) implements Comparable<Acl> {
        @Override
        public String toString() {
            return operation + " on " + type + " " + name + " (" + pattern + ")";
        }

        @Override
        public int compareTo(Acl other) {
            return toString().compareTo(other.toString());
        }

        boolean reads(String topic) {
            return type.equals("topic") && (operation.equals("Read") || operation.equals("All"))
                    && (pattern.equals("prefix") ? topic.startsWith(name) : name.equals(topic) || name.equals("*"));
        }
    }

    private KafkaAclCheck() {}

    static List<String> check(List<Manifest> manifests) {
        List<String> complaints = new ArrayList<>();
        Map<String, Manifest> users = new LinkedHashMap<>();
        Manifests.ofKind(manifests, "KafkaUser").forEach(u -> users.put(u.name(), u));
        for (DeployedJob job : DeployedJob.resolvable(manifests)) {
            String id = job.deployment().id();
            List<String> secrets = job.deployment().secretEnvironment().values().stream()
                    .filter(ref -> ref.path("key").asText().equals(JAAS_KEY))
                    .map(ref -> ref.path("name").asText())
                    .toList();
            if (secrets.isEmpty()) {
                complaints.add(id + ": no Kafka credentials from a KafkaUser's Secret (key " + JAAS_KEY + ")");
                continue;
            }
            Manifest user = users.get(secrets.get(0));
            if (user == null) {
                complaints.add(id + ": reads its Kafka credentials from Secret " + secrets.get(0)
                        + ", but there is no KafkaUser of that name");
                continue;
            }
            Set<Acl> expected = expected(job.footprint());
            Set<Acl> actual = acls(user);
            for (Acl acl : expected) {
                if (!actual.contains(acl)) {
                    complaints.add(user.id() + ": missing ACL " + acl);
                }
            }
            for (Acl acl : actual) {
                if (!expected.contains(acl)) {
                    complaints.add(user.id() + ": ACL beyond what " + job.job() + " needs: " + acl);
                }
            }
        }
        complaints.addAll(restrictedReaders(manifests, users.values()));
        return complaints;
    }

    private static Set<Acl> expected(Footprints.Footprint footprint) {
        Set<Acl> acls = new TreeSet<>();
        for (String topic : footprint.inputs()) {
            acls.add(new Acl("Describe", "topic", topic, "literal"));
            acls.add(new Acl("Read", "topic", topic, "literal"));
        }
        for (String topic : footprint.outputs()) {
            acls.add(new Acl("Describe", "topic", topic, "literal"));
            acls.add(new Acl("Write", "topic", topic, "literal"));
        }
        acls.add(new Acl("Read", "group", footprint.groupId(), "literal"));
        if (footprint.transactionalIdPrefix() != null) {
            acls.add(new Acl("Describe", "transactionalId", footprint.transactionalIdPrefix(), "prefix"));
            acls.add(new Acl("Write", "transactionalId", footprint.transactionalIdPrefix(), "prefix"));
        }
        return acls;
    }

    private static Set<Acl> acls(Manifest user) {
        Set<Acl> acls = new TreeSet<>();
        for (JsonNode rule : user.doc().path("spec").path("authorization").path("acls")) {
            JsonNode resource = rule.path("resource");
            List<String> operations = new ArrayList<>();
            rule.path("operations").forEach(o -> operations.add(o.asText()));
            for (String operation : operations) {
                acls.add(new Acl(operation, resource.path("type").asText(), resource.path("name").asText("*"),
                        resource.path("patternType").asText("literal")));
            }
        }
        return acls;
    }

    /** Only the principals a restricted topic lists in tributary.io/readers may read it. */
    private static List<String> restrictedReaders(List<Manifest> manifests, Iterable<Manifest> users) {
        List<String> complaints = new ArrayList<>();
        for (Manifest topic : Manifests.ofKind(manifests, "KafkaTopic")) {
            if (!TopicsCheck.restricted(topic)) {
                continue;
            }
            String readers = topic.doc().path("metadata").path("annotations").path("tributary.io/readers").asText();
            List<String> allowed = Arrays.asList(readers.split("\\s*,\\s*"));
            String name = TopicsCheck.topicName(topic);
            for (Manifest user : users) {
                if (!allowed.contains(user.name()) && acls(user).stream().anyMatch(a -> a.reads(name))) {
                    complaints.add(user.id() + ": may read restricted topic " + name + ", whose readers are " + allowed);
                }
            }
        }
        return complaints;
    }
}
