package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.filter.StoreTime;
import io.auditlog.model.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeParserTest {

  private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
  private final TimeParser parser = new TimeParser(Clock.fixed(NOW, ZoneOffset.UTC));

  @ParameterizedTest
  @CsvSource({
      "now(), 2026-06-15T12:00:00Z",
      "1d, 2026-06-14T12:00:00Z",
      "-15m, 2026-06-15T11:45:00Z",
      "2w, 2026-06-01T12:00:00Z",
      "500ms, 2026-06-15T11:59:59.500Z",
      "2026-06-15T14:00:00+02:00, 2026-06-15T12:00:00Z",
      "2026-06-15T09:30:00.5-03:00, 2026-06-15T12:30:00.500Z",
      "1781524800, 2026-06-15T12:00:00Z"})
  void readsEveryDocumentedForm(String text, String expected) {
    assertThat(parser.parse("start", text)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"now", "2026-06-15", "1.5h", "1y", "", "yesterday", "2026-06-15T12:00:00"})
  void refusesAnythingElseWithTheParameterAsLoc(String text) {
    assertThatThrownBy(() -> parser.parse("stop", text))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(422);
          assertThat(e.fieldErrors().get(0).loc()).containsExactly("query", "stop");
        });
  }

  @Test
  void clampsToTheTimesInfluxDbCanStore() {
    assertThat(parser.parse("start", "999999999w")).isEqualTo(StoreTime.EARLIEST);
    assertThat(parser.parse("stop", "9999-12-31T00:00:00Z"))
        .isEqualTo(StoreTime.LATEST);
  }
}
