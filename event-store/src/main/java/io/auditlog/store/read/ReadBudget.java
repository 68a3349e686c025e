package io.auditlog.store.read;

import io.auditlog.filter.FilterEvaluator;
import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * How long one read may take (AUDIT_QUERY_READ_BUDGET; a streamed listing, which holds one chunk at a time and goes
 * at its reader's pace, AUDIT_QUERY_STREAM_BUDGET), how many stored rows a read may decide in memory
 * (AUDIT_QUERY_MAX_SCANNED_ROWS) and how many categories a command over all of them may merge
 * (AUDIT_QUERY_MAX_CATEGORIES). A read over any limit stops reading and fails with a clear error, so one caller's
 * expensive query cannot occupy the service or its memory.
 */
public record ReadBudget(Duration time, Duration streamTime, long maxScannedRows, int maxCategories) {

  public static final ReadBudget DEFAULT = new ReadBudget(Duration.ofSeconds(30), Duration.ofMinutes(15), 1_000_000,
      1_000);

  /** The deadline of a read that started at {@code now}. */
  Instant deadline(Instant now) {
    return now.plus(time);
  }

  /** The deadline of a streamed listing that started at {@code now}. */
  Instant streamDeadline(Instant now) {
    return now.plus(streamTime);
  }

  /**
   * A check that fails with 503 {@code query_timeout} once {@code deadline} has passed, or the deadline of the task
   * it runs in ({@link TenantWorkers#taskDeadline()}: one chunk of rows may not hold a shared thread for long), and
   * stops the task once its caller has gone ({@link CallerPresence}).
   */
  static Runnable checking(Instant deadline) {
    return () -> {
      Instant now = Instant.now();
      if (now.isAfter(deadline) || now.isAfter(TenantWorkers.taskDeadline())) {
        throw timedOut();
      }
      if (TenantWorkers.callerGone()) {
        throw CallerPresence.CALLER_GONE;
      }
    };
  }

  /** An evaluator whose patterns stop mid-value once {@code deadline} has passed. */
  static FilterEvaluator evaluator(Instant now, Instant deadline) {
    return new FilterEvaluator(now, checking(deadline));
  }

  /**
   * {@code work}, failed with 503 {@code query_timeout} when it has not completed by {@code deadline}
   * ({@link Instant#MAX}: never), or with {@code caller_gone} as soon as the caller goes away
   * ({@link CallerPresence#orGone}): a wait that no row passes through (InfluxDB's next line, a reader's next write)
   * still ends with its read, and holds the read's slot, permits and connections no longer than its caller stays.
   */
  static <T> Future<T> within(Future<T> work, Instant deadline) {
    Future<T> waited = CallerPresence.orGone(work);
    long millis = millisLeft(deadline);
    return millis == Long.MAX_VALUE ? waited : waited.timeout(millis, TimeUnit.MILLISECONDS)
        .recover(failure -> Future.failedFuture(failure instanceof TimeoutException ? timedOut() : failure));
  }

  /** The milliseconds until {@code deadline}, at least 1; {@link Long#MAX_VALUE} when it is too far to count. */
  static long millisLeft(Instant deadline) {
    try {
      return Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
    } catch (ArithmeticException farAway) {
      return Long.MAX_VALUE;
    }
  }

  /** The failure of a read past its deadline: 503 {@code query_timeout}. */
  static ApiException timedOut() {
    return ApiException.of(503, "query_timeout",
        "The query ran out of time; narrow the time range or the filter.");
  }

  /** Fails when a command would merge more categories than it may (each holds a chunk while merged). */
  void checkCategories(int categories) {
    if (categories > maxCategories) {
      throw ApiException.of(422, "query_too_large", "The tenant has more than " + maxCategories
          + " categories, more than a command over all of them may merge; name a category (GET /audit/log).");
    }
  }

  /**
   * An InfluxDB answer larger than a read may hold ({@link InfluxQueries#MAX_ANSWER_BYTES}). One instance (it carries
   * no stack trace), so that a reader able to ask for less at a time tells it from the other 422s that share its type.
   */
  static final ApiException ANSWER_TOO_LARGE = ApiException.of(422, "query_too_large",
      "The answer would be larger than " + InfluxQueries.MAX_ANSWER_BYTES / (1024 * 1024) + " MiB; ask for fewer"
          + " events at a time (a smaller size or limit) or a narrower time range.");

  /** One line of a streamed answer larger than {@link EventScanner#CHUNK_BYTES}. */
  static final ApiException LINE_TOO_LARGE = ApiException.of(422, "query_too_large",
      "Part of the answer would be larger than " + EventScanner.CHUNK_BYTES / (1024 * 1024) + " MiB at once; ask"
          + " for a narrower time range or a limit.");

  /** Whether a read failed only because InfluxDB's answer was larger than a read may hold. */
  public static boolean isAnswerTooLarge(Throwable failure) {
    return failure == ANSWER_TOO_LARGE;
  }

  /** {@code decide}, failing once it has been asked about more rows than a read may decide in memory. */
  Predicate<InfluxEventStore.Row> counting(Predicate<InfluxEventStore.Row> decide) {
    long[] decided = {0};
    return row -> {
      checkScanned(++decided[0]);
      return decide.test(row);
    };
  }

  /** Fails when a read has examined more rows than it may. */
  private void checkScanned(long rows) {
    if (rows > maxScannedRows) {
      throw ApiException.of(422, "query_too_large", "The query would examine more than " + maxScannedRows
          + " stored events in memory; narrow the time range or the filter, or use a filter InfluxDB can decide.");
    }
  }
}
