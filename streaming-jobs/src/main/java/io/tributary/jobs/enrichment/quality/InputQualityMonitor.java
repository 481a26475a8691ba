package io.tributary.jobs.enrichment.quality;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Adds up the {@link InputProfiler}s' profiles of each window, compares each topic's window with its
 * trailing baseline ({@link QualityMeasures}) and publishes the measures and their bounds as gauges
 * (in a {@code topic} group, with a {@code field} group for null rates); it announces a writer
 * schema id not seen before on a topic with a log line and the counter {@code newWriterSchemas}.
 * One subtask, an end of the graph: it emits nothing.
 *
 * <p>A window is closed half a window after it ends, by this operator's clock, when the profilers'
 * profiles of it have arrived; a profile arriving later is counted in {@code lateProfiles} and left
 * out. A topic that sent no profile for a window had no payments in it: volume 0. The window in
 * which the operator starts is not judged, as the profilers do not report it.
 *
 * <p>State (uid {@code input-quality-monitor}), so that a restart keeps the baseline and does not
 * announce known schemas again: the last {@code baseline-windows} profiles of each topic (a few
 * hundred bytes each) and the writer schema ids seen per topic.
 */
public final class InputQualityMonitor extends AbstractStreamOperator<Void> implements OneInputStreamOperator<InputProfile, Void> {
    private static final long serialVersionUID = 1L;

    private static final ListStateDescriptor<InputProfile> BASELINE = new ListStateDescriptor<>("baseline", InputProfile.TYPE);
    private static final ListStateDescriptor<Tuple2<String, Integer>> WRITER_SCHEMAS = new ListStateDescriptor<>(
            "writer-schemas", Types.TUPLE(Types.STRING, Types.INT));

    private final InputQualityParameters parameters;
    private transient ListState<InputProfile> baselineState;
    private transient ListState<Tuple2<String, Integer>> writerSchemaState;
    private transient Map<String, Deque<InputProfile>> baselines;
    private transient Map<String, Set<Integer>> writerSchemas;
    /** Profiles of windows not closed yet, by window start and topic. */
    private transient TreeMap<Long, Map<String, InputProfile.Accumulator>> open;
    private transient Map<String, TopicGauges> gauges;
    private transient Counter lateProfiles;
    /** Start of the next window to close: profiles of earlier windows are late. */
    private transient long nextToClose;

    InputQualityMonitor(InputQualityParameters parameters) {
        this.parameters = parameters;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        baselineState = context.getOperatorStateStore().getListState(BASELINE);
        writerSchemaState = context.getOperatorStateStore().getListState(WRITER_SCHEMAS);
        baselines = new TreeMap<>();
        writerSchemas = new TreeMap<>();
        for (InputProfile profile : baselineState.get()) {
            baseline(profile.topic).addLast(profile);
        }
        for (Tuple2<String, Integer> seen : writerSchemaState.get()) {
            writerSchemas.computeIfAbsent(seen.f0, t -> new TreeSet<>()).add(seen.f1);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        open = new TreeMap<>();
        gauges = new HashMap<>();
        lateProfiles = getMetricGroup().counter("lateProfiles");
        baselines.keySet().forEach(this::gauges);
        long window = parameters.windowMillis();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        // The first whole window after the start: the profilers do not report the one they start in.
        nextToClose = now - Math.floorMod(now, window) + (Math.floorMod(now, window) == 0 ? 0 : window);
        getProcessingTimeService().registerTimer(closingTime(nextToClose), this::closeWindow);
    }

    @Override
    public void processElement(StreamRecord<InputProfile> element) {
        InputProfile profile = element.getValue();
        if (profile.windowStart < nextToClose) {
            lateProfiles.inc();
            return;
        }
        open.computeIfAbsent(profile.windowStart, w -> new HashMap<>())
                .computeIfAbsent(profile.topic, InputProfile.Accumulator::new).add(profile);
    }

    /** Half a window after the window's end: the profilers emit at its end, so theirs have arrived. */
    private long closingTime(long windowStart) {
        return windowStart + parameters.windowMillis() + parameters.windowMillis() / 2;
    }

    private void closeWindow(long time) {
        long windowStart = nextToClose;
        Map<String, InputProfile.Accumulator> received = open.remove(windowStart);
        Set<String> topics = new TreeSet<>(baselines.keySet());
        if (received != null) {
            topics.addAll(received.keySet());
        }
        for (String topic : topics) {
            InputProfile.Accumulator accumulator = received == null ? null : received.get(topic);
            InputProfile window = (accumulator == null ? new InputProfile.Accumulator(topic) : accumulator)
                    .toProfile(windowStart);
            Deque<InputProfile> baseline = baseline(topic);
            gauges(topic).show(QualityMeasures.of(window, List.copyOf(baseline), parameters));
            noteWriterSchemas(window);
            baseline.addLast(window);
            while (baseline.size() > parameters.baselineWindows()) {
                baseline.removeFirst();
            }
        }
        nextToClose = windowStart + parameters.windowMillis();
        getProcessingTimeService().registerTimer(closingTime(nextToClose), this::closeWindow);
    }

    /**
     * The ids of a topic's first window after its first start are what the producers use today,
     * logged but not counted; any id after that is a change of the writers' schema.
     */
    private void noteWriterSchemas(InputProfile window) {
        Set<Integer> known = writerSchemas.get(window.topic);
        if (known == null) {
            known = new TreeSet<>();
            for (int id : window.writerSchemaIds) {
                known.add(id);
            }
            writerSchemas.put(window.topic, known);
            gauges(window.topic).showWriterSchemas(known.size());
            LOG.info("Input {}: payments written with schema ids {}", window.topic, known);
            return;
        }
        for (int id : window.writerSchemaIds) {
            if (known.add(id)) {
                gauges(window.topic).newWriterSchemas.inc();
                gauges(window.topic).showWriterSchemas(known.size());
                LOG.warn("Input {}: first payment written with schema id {} ({} ids seen: {})", window.topic, id,
                        known.size(), known);
            }
        }
    }

    private Deque<InputProfile> baseline(String topic) {
        return baselines.computeIfAbsent(topic, t -> new ArrayDeque<>());
    }

    private TopicGauges gauges(String topic) {
        return gauges.computeIfAbsent(topic, t -> new TopicGauges(getMetricGroup(), t,
                writerSchemas.getOrDefault(t, Set.of()).size(), parameters));
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<InputProfile> kept = new ArrayList<>();
        baselines.values().forEach(kept::addAll);
        baselineState.update(kept);
        List<Tuple2<String, Integer>> seen = new ArrayList<>();
        writerSchemas.forEach((topic, ids) -> ids.forEach(id -> seen.add(Tuple2.of(topic, id))));
        writerSchemaState.update(seen);
    }

    /**
     * The gauges of one topic, holding the last closed window's measures. Each registration is
     * written out whole, with its groups, as deploy-k8s's checks read the metric names from the code.
     */
    private static final class TopicGauges {
        private volatile QualityMeasures last;
        private volatile int writerSchemas;
        private final Counter newWriterSchemas;

        TopicGauges(MetricGroup operator, String topic, int writerSchemas, InputQualityParameters p) {
            this.writerSchemas = writerSchemas;
            operator.addGroup("topic", topic).gauge("recordsPerWindow", (Gauge<Double>) () -> measure(QualityMeasures::records));
            operator.addGroup("topic", topic).gauge("volumeRatio", (Gauge<Double>) () -> measure(QualityMeasures::volumeRatio));
            operator.addGroup("topic", topic).gauge("volumeRatioMin", (Gauge<Double>) p::volumeRatioMin);
            operator.addGroup("topic", topic).gauge("volumeRatioMax", (Gauge<Double>) p::volumeRatioMax);
            operator.addGroup("topic", topic).gauge("amountPsi", (Gauge<Double>) () -> measure(QualityMeasures::amountPsi));
            operator.addGroup("topic", topic).gauge("currencyPsi", (Gauge<Double>) () -> measure(QualityMeasures::currencyPsi));
            operator.addGroup("topic", topic).gauge("psiMax", (Gauge<Double>) p::maxPsi);
            operator.addGroup("topic", topic).gauge("writerSchemas", (Gauge<Integer>) () -> this.writerSchemas);
            newWriterSchemas = operator.addGroup("topic", topic).counter("newWriterSchemas");
            for (OptionalPaymentField field : OptionalPaymentField.values()) {
                String name = field.contractName();
                int i = field.ordinal();
                operator.addGroup("topic", topic).addGroup("field", name)
                        .gauge("nullRate", (Gauge<Double>) () -> measure(m -> m.nullRates()[i]));
                operator.addGroup("topic", topic).addGroup("field", name)
                        .gauge("nullRateMax", (Gauge<Double>) () -> measure(m -> m.nullRateMax()[i]));
            }
        }

        void show(QualityMeasures measures) {
            last = measures;
        }

        void showWriterSchemas(int distinct) {
            writerSchemas = distinct;
        }

        private double measure(ToDoubleFunction<QualityMeasures> of) {
            QualityMeasures m = last;
            return m == null ? Double.NaN : of.applyAsDouble(m);
        }
    }
}
