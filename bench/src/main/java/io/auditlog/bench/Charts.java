package io.auditlog.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNG of an ingestion run: accepted events per second, p99 latency per second, and end to end with lag. */
final class Charts {

  private Charts() {
  }

  static void write(IngestBenchmark.Result result, Path png) throws IOException {
    XYChart throughput = chart("Accepted events per second (gateway)", "events/s");
    XYChart latency = chart("Latency per second, p50 and p99", "ms");
    latency.getStyler().setYAxisLogarithmic(true);
    for (Run run : result.runs()) {
      List<Double> x = new ArrayList<>();
      List<Double> events = new ArrayList<>();
      List<Double> p50 = new ArrayList<>();
      List<Double> p99 = new ArrayList<>();
      for (int s = 0; s < run.secondsWithAnswers(); s++) {
        x.add((double) s);
        events.add(run.eventsInSecond(s));
        p50.add(Math.max(0.01, nanToZero(run.millisInSecond(s, 50))));
        p99.add(Math.max(0.01, nanToZero(run.millisInSecond(s, 99))));
      }
      line(throughput, run.name, x, events);
      line(latency, run.name + " p99", x, p99);
      line(latency, run.name + " p50", x, p50);
    }
    XYChart endToEnd = chart("End to end, 100-event batches: stored events and consumer lag", "events");
    List<Double> x = new ArrayList<>();
    List<Double> stored = new ArrayList<>();
    List<Double> lag = new ArrayList<>();
    for (EndToEnd.Sample sample : result.endToEnd().samples()) {
      x.add(sample.second());
      stored.add((double) sample.stored());
      lag.add((double) Math.max(0, sample.lag()));
    }
    line(endToEnd, "stored in InfluxDB", x, stored);
    line(endToEnd, "consumer lag (records)", x, lag);
    BitmapEncoder.saveBitmap(List.of(throughput, latency, endToEnd), 3, 1, png.toString(),
        BitmapEncoder.BitmapFormat.PNG);
  }

  private static XYChart chart(String title, String yTitle) {
    XYChart chart = new XYChartBuilder().width(1000).height(360).title(title).xAxisTitle("seconds")
        .yAxisTitle(yTitle).build();
    chart.getStyler().setMarkerSize(0);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    return chart;
  }

  private static void line(XYChart chart, String name, List<Double> x, List<Double> y) {
    if (x.isEmpty()) {
      return;
    }
    XYSeries series = chart.addSeries(name, x, y);
    series.setMarker(SeriesMarkers.NONE);
  }

  private static double nanToZero(double value) {
    return Double.isNaN(value) ? 0 : value;
  }
}
