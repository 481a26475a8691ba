package io.tributary.benchmarks.endtoend;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The plots of a run, drawn from its table so that they never disagree with it: throughput of the
 * enrichment, its Kafka Streams peer and the Flink ceilings by checkpoint (commit) interval; for
 * each guarantee and interval, the latency (p50, p99) of both against the offered load; and the
 * latency of the alert path, payment to alert, for each of fraud-detection's alert deliveries.
 */
final class Plots {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;
    private static final String ALERTS = "fraud alerts: payment to alert, enrichment exactly once with 1 s checkpoints";

    private Plots() {}

    /**
     * Writes {@code throughput.png}, {@code latency-<guarantee>-<interval>.png} for each setting whose
     * latency was measured and {@code latency-alerts.png} when the alert path's was, into {@code dir};
     * returns their paths.
     */
    static List<Path> write(List<EndToEndBenchmark.Row> rows, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        Path throughput = dir.resolve("throughput.png");
        ChartUtils.saveChartAsPNG(throughput.toFile(), throughput(rows), WIDTH, HEIGHT);
        written.add(throughput);
        Map<String, List<EndToEndBenchmark.Row>> bySetting = new LinkedHashMap<>();
        for (EndToEndBenchmark.Row row : rows) {
            if (row.latencyMillis() != null) {
                bySetting.computeIfAbsent(isAlertPath(row) ? ALERTS : row.guarantee() + ", checkpoints " + row.checkpoint(),
                        s -> new ArrayList<>()).add(row);
            }
        }
        for (Map.Entry<String, List<EndToEndBenchmark.Row>> setting : bySetting.entrySet()) {
            EndToEndBenchmark.Row first = setting.getValue().get(0);
            Path latency = dir.resolve("latency-" + (isAlertPath(first) ? "alerts"
                    : (first.guarantee() + "-" + first.checkpoint()).replace(' ', '-')) + ".png");
            ChartUtils.saveChartAsPNG(latency.toFile(), latency(setting.getKey(), setting.getValue()), WIDTH, HEIGHT);
            written.add(latency);
        }
        return written;
    }

    /** The rows of the alert path (payment to alert, both jobs): one plot of their own, both deliveries in it. */
    private static boolean isAlertPath(EndToEndBenchmark.Row row) {
        return row.what().startsWith("fraud alerts");
    }

    private static JFreeChart throughput(List<EndToEndBenchmark.Row> rows) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (EndToEndBenchmark.Row row : rows) {
            boolean plotted = row.what().contains("enrichment") || row.what().contains("pass-through");
            if (plotted && row.latencyMillis() == null) {
                data.addValue(row.perSecond(), row.what() + ", " + row.guarantee(), "checkpoints " + row.checkpoint());
            }
        }
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        CategoryPlot plot = new CategoryPlot(data, new CategoryAxis("checkpoint / commit interval"),
                new NumberAxis("results per second, first to last result"), bars);
        plot.setOrientation(PlotOrientation.VERTICAL);
        return new JFreeChart("Throughput at full speed, by checkpoint interval", JFreeChart.DEFAULT_TITLE_FONT, plot,
                true);
    }

    private static JFreeChart latency(String setting, List<EndToEndBenchmark.Row> rows) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (EndToEndBenchmark.Row row : rows) {
            add(data, renderer, row.what() + ", p50", row.offeredPerSecond(), row.latencyMillis()[0], false);
            add(data, renderer, row.what() + ", p99", row.offeredPerSecond(), row.latencyMillis()[2], true);
        }
        LogAxis milliseconds = new LogAxis("latency, send to read_committed receipt (ms, log scale)");
        milliseconds.setSmallestValue(1);
        milliseconds.setNumberFormatOverride(new DecimalFormat("#,##0"));
        XYPlot plot = new XYPlot(data, new NumberAxis("offered load (payments per second)"), milliseconds, renderer);
        return new JFreeChart("Latency against offered load, " + setting + " (p50 solid, p99 dashed)",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    private static void add(XYSeriesCollection data, XYLineAndShapeRenderer renderer, String name, double x, double y,
            boolean dashed) {
        if (Double.isNaN(y) || y <= 0) {
            return;
        }
        int index = data.getSeriesIndex(name);
        if (index < 0) {
            data.addSeries(new XYSeries(name));
            index = data.getSeriesCount() - 1;
            renderer.setSeriesStroke(index, dashed
                    ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(2f));
        }
        data.getSeries(index).add(x, y);
    }
}
