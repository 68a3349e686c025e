package io.auditlog.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.gateway.health.IngestionSample.Worker;
import io.auditlog.gateway.health.IngestionVerdict.Thresholds;
import io.auditlog.web.HealthHandler.Report;
import io.auditlog.web.HealthHandler.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestionVerdictTest {

  private static final Thresholds THRESHOLDS = new Thresholds(Duration.ofSeconds(2), Duration.ofSeconds(10),
      Duration.ofSeconds(60));
  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
  private static final List<Worker> ONE = List.of(new Worker("ingest-worker-1", 12));

  @Test
  void upWhenAWorkerConsumesAndKeepsUp() {
    Report report = judge(List.of(sample(0, ONE, 0, 0)), 0);
    assertThat(report.status()).isEqualTo(Status.UP);
    assertThat(report.details().path("workers").get(0).path("partitions").asInt()).isEqualTo(12);
    assertThat(report.details().path("lag").asLong()).isZero();
  }

  @Test
  void downWhenNoWorkerIsInTheGroupEvenWithoutLag() {
    Report report = judge(List.of(sample(0, List.of(), 0, 0)), 0);
    assertThat(report.status()).isEqualTo(Status.DOWN);
    assertThat(report.details().path("reason").asText()).isEqualTo("no ingest worker consumes");
  }

  @Test
  void downWhenKafkaCannotBeAskedOrNothingWasSampledLately() {
    assertThat(judge(List.of(IngestionSample.failed(T0, "TimeoutException: x")), 0).status())
        .isEqualTo(Status.DOWN);
    assertThat(judge(List.of(sample(0, ONE, 0, 0)), 7).status()).as("stale sample").isEqualTo(Status.DOWN);
    assertThat(judge(List.of(sample(0, ONE, 0, 0)), 6).status()).isEqualTo(Status.UP);
    assertThat(judge(List.of(), 0).status()).isEqualTo(Status.DOWN);
  }

  @Test
  void degradedWhenTheOldestUnstoredEventIsTooOld() {
    assertThat(judge(List.of(sample(0, ONE, 5, 61)), 0).status()).isEqualTo(Status.DEGRADED);
    assertThat(judge(List.of(sample(0, ONE, 5, 60)), 0).status()).isEqualTo(Status.UP);
  }

  @Test
  void degradedOnlyWhenTheLagGrewAtEverySampleAcrossTheWindow() {
    List<IngestionSample> growing = new ArrayList<>();
    for (int i = 0; i <= 6; i++) {
      growing.add(sample(i * 2, ONE, 100 + i * 50, 1));
    }
    assertThat(judge(growing, 12).status()).isEqualTo(Status.DEGRADED);
    assertThat(judge(growing, 12).details().path("lag_growing").asBoolean()).isTrue();

    List<IngestionSample> dipped = new ArrayList<>(growing);
    dipped.set(3, sample(6, ONE, 90, 1));
    assertThat(judge(dipped, 12).status()).as("one sample where workers caught up").isEqualTo(Status.UP);

    List<IngestionSample> tooShort = growing.subList(2, 7);
    assertThat(judge(tooShort, 12).status()).as("samples cover only 8 of the 10 s").isEqualTo(Status.UP);

    List<IngestionSample> flat = new ArrayList<>();
    for (int i = 0; i <= 6; i++) {
      flat.add(sample(i * 2, ONE, 300, 1));
    }
    assertThat(judge(flat, 12).status()).as("a steady backlog is not growth").isEqualTo(Status.UP);
  }

  private static Report judge(List<IngestionSample> history, int nowSeconds) {
    return IngestionVerdict.judge(history, T0.plusSeconds(nowSeconds), THRESHOLDS);
  }

  private static IngestionSample sample(int atSeconds, List<Worker> workers, long lag, int ageSeconds) {
    return new IngestionSample(T0.plusSeconds(atSeconds), workers, lag, Duration.ofSeconds(ageSeconds), null);
  }
}
