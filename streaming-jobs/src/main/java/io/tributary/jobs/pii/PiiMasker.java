package io.tributary.jobs.pii;

import io.tributary.events.MaskedTransaction;
import io.tributary.events.Transaction;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import org.apache.avro.Schema;

/**
 * Turns a {@link Transaction} into a {@link MaskedTransaction}: the one place where personal data is
 * replaced, so that nothing downstream ever sees it in clear.
 *
 * <p>What to copy and what to mask is read from the schemas, not written out field by field: a field
 * with a {@code pii} property must be consumed by a masked field whose {@code masked_from} names its
 * kind, and every other field is copied by position. A schema change that would let personal data
 * through (a new {@code pii} field without a masked counterpart, a {@code pii} field copied in clear)
 * therefore fails {@link #create} when the job starts, instead of leaking records.
 *
 * <p>Tokens are HMAC-SHA256 under a {@link TokenizationKey} over the value prefixed with its kind, so
 * they are deterministic (joins and per-card features keep working), differ under another key, and a
 * card number never collides with an e-mail of the same text.
 *
 * <p>Not thread-safe: each Flink task uses its own deserialized copy. Copied values are shared with
 * the input record, not cloned; the input is not meant to be used after masking.
 */
public final class PiiMasker implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Base64.Encoder TOKEN_TEXT = Base64.getUrlEncoder().withoutPadding();

    private final TokenizationKey key;
    private final Plan plan;
    private transient Mac hmac;

    private PiiMasker(TokenizationKey key, Plan plan) {
        this.key = Objects.requireNonNull(key, "key");
        this.plan = plan;
    }

    /**
     * A masker for the current {@link Transaction} and {@link MaskedTransaction} schemas.
     *
     * @throws IllegalStateException naming the field if the schemas would let personal data through
     */
    public static PiiMasker create(TokenizationKey key) {
        return new PiiMasker(key, Plan.between(Transaction.getClassSchema(), MaskedTransaction.getClassSchema()));
    }

    /** Masks one record; the input is left unchanged. */
    public MaskedTransaction mask(Transaction transaction) {
        MaskedTransaction masked = new MaskedTransaction();
        for (int i = 0; i < plan.copyFrom.length; i++) {
            masked.put(plan.copyTo[i], transaction.get(plan.copyFrom[i]));
        }
        for (Step step : plan.steps) {
            Object value = transaction.get(step.from());
            masked.put(step.to(), value == null ? null : derive(step.derivation(), value.toString()));
        }
        return masked;
    }

    private String derive(Derivation derivation, String value) {
        return switch (derivation) {
            case CARD_TOKEN -> token("card_number:" + value);
            case CARD_LAST4 -> lastFour(value);
            case EMAIL_TOKEN -> token("email:" + value.strip().toLowerCase(Locale.ROOT));
            case IP_PREFIX -> IpNetwork.prefixOf(value);
        };
    }

    private String token(String domainAndValue) {
        if (hmac == null) {
            hmac = key.newHmac();
        }
        return TOKEN_TEXT.encodeToString(hmac.doFinal(domainAndValue.getBytes(StandardCharsets.UTF_8)));
    }

    private static String lastFour(String cardNumber) {
        if (cardNumber.length() < 4) {
            // The "last four" would be the whole number; the validator keeps such records out.
            throw new IllegalArgumentException("card_number has fewer than 4 characters");
        }
        return cardNumber.substring(cardNumber.length() - 4);
    }

    /** How a masked field is computed from the personal field of the kind its {@code masked_from} names. */
    enum Derivation {
        CARD_TOKEN("card_number", "card_token"),
        CARD_LAST4("card_number", "card_last4"),
        IP_PREFIX("ip_address", null),
        EMAIL_TOKEN("email", null);

        final String kind;
        /** The masked field's name when one kind has several derivations, else null (any name). */
        final String fieldName;

        Derivation(String kind, String fieldName) {
            this.kind = kind;
            this.fieldName = fieldName;
        }

        /** Unparseable IP addresses become null, so the masked field must accept null. */
        boolean mayYieldNull() {
            return this == IP_PREFIX;
        }

        static Derivation of(String kind, String fieldName, String where) {
            List<Derivation> ofKind = Arrays.stream(values()).filter(d -> d.kind.equals(kind)).toList();
            if (ofKind.isEmpty()) {
                throw new IllegalStateException(where + " is masked_from '" + kind
                        + "', a pii kind this masker does not know");
            }
            return ofKind.stream()
                    .filter(d -> d.fieldName == null || d.fieldName.equals(fieldName))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(where + " is masked_from '" + kind + "' but is not named "
                            + String.join(" or ", ofKind.stream().map(d -> d.fieldName).toList())));
        }
    }

    record Step(int from, int to, Derivation derivation) implements Serializable {}

    /** Field positions to copy and to mask, computed once from the two schemas. */
    static final class Plan implements Serializable {
        private static final long serialVersionUID = 1L;
        static final String PII = "pii";
        static final String MASKED_FROM = "masked_from";

        final int[] copyFrom;
        final int[] copyTo;
        final Step[] steps;

        private Plan(int[] copyFrom, int[] copyTo, Step[] steps) {
            this.copyFrom = copyFrom;
            this.copyTo = copyTo;
            this.steps = steps;
        }

        /**
         * Checks that {@code target} holds no personal data of {@code source} in clear and says how to fill it.
         *
         * @throws IllegalStateException naming the first field that breaks the rules
         */
        static Plan between(Schema source, Schema target) {
            List<int[]> copies = new ArrayList<>();
            List<Step> steps = new ArrayList<>();
            Set<String> consumed = new HashSet<>();
            for (Schema.Field out : target.getFields()) {
                String where = target.getName() + "." + out.name();
                if (out.getObjectProp(PII) != null) {
                    throw new IllegalStateException(where + " has a pii property: a masked record holds no personal data");
                }
                Object maskedFrom = out.getObjectProp(MASKED_FROM);
                if (maskedFrom != null) {
                    Derivation derivation = Derivation.of(maskedFrom.toString(), out.name(), where);
                    Schema.Field in = onlyFieldOfKind(source, derivation.kind, where);
                    requireStrings(in, out, derivation, where);
                    steps.add(new Step(in.pos(), out.pos(), derivation));
                    consumed.add(in.name());
                } else {
                    copies.add(new int[] {copiedField(source, out, where).pos(), out.pos()});
                }
            }
            for (Schema.Field in : source.getFields()) {
                if (in.getObjectProp(PII) != null && !consumed.contains(in.name())) {
                    throw new IllegalStateException(source.getName() + "." + in.name() + " has pii '"
                            + in.getObjectProp(PII) + "' but no field of " + target.getName() + " is masked_from it");
                }
            }
            return new Plan(
                    copies.stream().mapToInt(c -> c[0]).toArray(),
                    copies.stream().mapToInt(c -> c[1]).toArray(),
                    steps.toArray(Step[]::new));
        }

        private static Schema.Field copiedField(Schema source, Schema.Field out, String where) {
            Schema.Field in = source.getField(out.name());
            if (in == null) {
                throw new IllegalStateException(where + " has neither a same-named field in "
                        + source.getName() + " nor a masked_from property");
            }
            if (in.getObjectProp(PII) != null) {
                throw new IllegalStateException(where + " would copy " + source.getName() + "." + in.name()
                        + " (pii '" + in.getObjectProp(PII) + "') in clear: mask it instead");
            }
            if (!in.schema().equals(out.schema())) {
                throw new IllegalStateException(where + " has a different type from "
                        + source.getName() + "." + in.name() + ", so it cannot be copied as is");
            }
            return in;
        }

        private static Schema.Field onlyFieldOfKind(Schema source, String kind, String where) {
            List<Schema.Field> ofKind = source.getFields().stream()
                    .filter(f -> f.getObjectProp(PII) != null && kind.equals(f.getObjectProp(PII).toString()))
                    .toList();
            if (ofKind.size() != 1) {
                throw new IllegalStateException(where + " is masked_from '" + kind + "' but " + source.getName()
                        + " has " + ofKind.size() + " fields of that pii kind instead of exactly one");
            }
            return ofKind.get(0);
        }

        /** Derivations read and write text; a masked field that may receive null must accept it. */
        private static void requireStrings(Schema.Field in, Schema.Field out, Derivation derivation, String where) {
            if (!isString(in.schema()) && !isNullableString(in.schema())) {
                throw new IllegalStateException(where + " is masked_from " + in.name() + ", which is not a string");
            }
            boolean mayBeNull = derivation.mayYieldNull() || isNullableString(in.schema());
            if (!isNullableString(out.schema()) && (mayBeNull || !isString(out.schema()))) {
                throw new IllegalStateException(where + " must be a " + (mayBeNull ? "nullable " : "") + "string");
            }
        }

        private static boolean isString(Schema schema) {
            return schema.getType() == Schema.Type.STRING;
        }

        private static boolean isNullableString(Schema schema) {
            return schema.getType() == Schema.Type.UNION
                    && schema.getTypes().stream().map(Schema::getType).collect(Collectors.toSet())
                            .equals(Set.of(Schema.Type.NULL, Schema.Type.STRING));
        }
    }

    /**
     * Truncates an IP address to its network: IPv4 (and IPv4-mapped IPv6) to /24, IPv6 to /48.
     *
     * <p>Parsed by hand rather than with {@code InetAddress.getByName}, which falls back to a DNS
     * lookup for anything that is not a literal: that would send the value to a resolver and block
     * the task. Whatever is not a valid literal becomes null, since it might hold anything.
     */
    static final class IpNetwork {
        /** The longest IPv6 text: eight groups, the last two written as dotted IPv4. */
        private static final int MAX_LENGTH = 45;
        private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
        private static final Pattern IPV4 = Pattern.compile(OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET);
        private static final Pattern HEXTET = Pattern.compile("[0-9A-Fa-f]{1,4}");

        private IpNetwork() {}

        static String prefixOf(String text) {
            String address = text.strip();
            if (address.length() > MAX_LENGTH) {
                return null;
            }
            if (address.indexOf(':') < 0) {
                int[] octets = ipv4(address);
                return octets == null ? null : ipv4Prefix(octets);
            }
            int[] groups = ipv6(address);
            if (groups == null) {
                return null;
            }
            if (isIpv4Mapped(groups)) {
                return ipv4Prefix(new int[] {groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff});
            }
            return ipv6Prefix(groups);
        }

        private static int[] ipv4(String text) {
            var m = IPV4.matcher(text);
            if (!m.matches()) {
                return null;
            }
            int[] octets = new int[4];
            for (int i = 0; i < 4; i++) {
                octets[i] = Integer.parseInt(m.group(i + 1));
            }
            return octets;
        }

        /** The eight 16-bit groups of an IPv6 literal, or null; "::" may stand for one or more zero groups. */
        private static int[] ipv6(String text) {
            int gap = text.indexOf("::");
            if (gap != text.lastIndexOf("::")) {
                return null;
            }
            List<Integer> head = groups(gap < 0 ? text : text.substring(0, gap), gap < 0);
            List<Integer> tail = gap < 0 ? List.of() : groups(text.substring(gap + 2), true);
            if (head == null || tail == null) {
                return null;
            }
            int zeros = 8 - head.size() - tail.size();
            if (gap < 0 ? zeros != 0 : zeros < 1) {
                return null;
            }
            int[] groups = new int[8];
            for (int i = 0; i < head.size(); i++) {
                groups[i] = head.get(i);
            }
            for (int i = 0; i < tail.size(); i++) {
                groups[8 - tail.size() + i] = tail.get(i);
            }
            return groups;
        }

        /** The groups of one side of "::"; only the last group of the address may be dotted IPv4. */
        private static List<Integer> groups(String part, boolean endsAddress) {
            List<Integer> groups = new ArrayList<>(8);
            if (part.isEmpty()) {
                return groups;
            }
            String[] texts = part.split(":", -1);
            for (int i = 0; i < texts.length; i++) {
                int[] octets = endsAddress && i == texts.length - 1 ? ipv4(texts[i]) : null;
                if (octets != null) {
                    groups.add(octets[0] << 8 | octets[1]);
                    groups.add(octets[2] << 8 | octets[3]);
                } else if (HEXTET.matcher(texts[i]).matches()) {
                    groups.add(Integer.parseInt(texts[i], 16));
                } else {
                    return null;
                }
            }
            return groups;
        }

        private static boolean isIpv4Mapped(int[] groups) {
            return groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                    && groups[5] == 0xffff;
        }

        private static String ipv4Prefix(int[] octets) {
            return octets[0] + "." + octets[1] + "." + octets[2] + ".0/24";
        }

        /** RFC 5952 form: the trailing zero groups (at least five) are always the longest run, so "::" goes there. */
        private static String ipv6Prefix(int[] groups) {
            int kept = 3;
            while (kept > 0 && groups[kept - 1] == 0) {
                kept--;
            }
            StringJoiner text = new StringJoiner(":", "", "::/48");
            for (int i = 0; i < kept; i++) {
                text.add(Integer.toHexString(groups[i]));
            }
            return text.toString();
        }
    }
}
