package io.auditlog.query;

import io.auditlog.filter.StoreTime;
import io.auditlog.model.ApiException;
import io.auditlog.model.Durations;
import io.auditlog.model.FieldError;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code start}/{@code stop} parameters: a relative duration ({@code 15m}, {@code -1d}: that long before
 * now), {@code now()}, an RFC 3339 date-time with any offset (converted to UTC), or unix epoch seconds. Anything
 * else is a 422 at {@code ["query", name]}.
 */
public final class TimeParser {

  private static final Pattern RELATIVE = Pattern.compile("-?(\\d{1,9})(ms|s|m|h|d|w)");
  private static final Pattern EPOCH_SECONDS = Pattern.compile("\\d{1,12}");

  private final Clock clock;

  public TimeParser(Clock clock) {
    this.clock = clock;
  }

  public Instant now() {
    return clock.instant();
  }

  /** A time parameter, clamped to the times InfluxDB can store, so no arithmetic on it can overflow. */
  public Instant parse(String name, String value) {
    return StoreTime.clamp(parseUnclamped(name, value));
  }

  private Instant parseUnclamped(String name, String value) {
    String text = value.trim();
    if (text.equals("now()")) {
      return clock.instant();
    }
    Matcher relative = RELATIVE.matcher(text);
    if (relative.matches()) {
      return clock.instant().minus(Durations.of(Long.parseLong(relative.group(1)), relative.group(2)));
    }
    if (EPOCH_SECONDS.matcher(text).matches()) {
      return Instant.ofEpochSecond(Long.parseLong(text));
    }
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.validation(new FieldError(List.of("query", name),
          "must be a duration such as 15m or 1d, now(), an RFC 3339 date-time or epoch seconds",
          "value_error.time"));
    }
  }
}
