package io.auditlog.query.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.web.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistorySettingsTest {

  @Test
  void eventsAreKeptUntilDeletedUnlessARetentionOfAtLeastAnHourIsSet() {
    HistorySettings defaults = HistorySettings.from(new Settings(Map.of()));
    assertThat(defaults.retention()).isZero();
    assertThat(defaults.retentionInterval()).isEqualTo(Duration.ofHours(1));

    HistorySettings set = HistorySettings.from(new Settings(Map.of("AUDIT_RETENTION", "30d",
        "AUDIT_RETENTION_INTERVAL", "10m")));
    assertThat(set.retention()).isEqualTo(Duration.ofDays(30));
    assertThat(set.retentionInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(set.toString()).contains("retention=PT720H");

    assertThatThrownBy(() -> HistorySettings.from(new Settings(Map.of("AUDIT_RETENTION", "59m"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1h");
    assertThatThrownBy(() -> HistorySettings.from(new Settings(Map.of("AUDIT_RETENTION_INTERVAL", "0s"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUDIT_RETENTION_INTERVAL");
    assertThatThrownBy(() -> HistorySettings.from(new Settings(Map.of("AUDIT_RETENTION", "a month"))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
