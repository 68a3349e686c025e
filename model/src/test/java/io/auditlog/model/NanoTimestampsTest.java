package io.auditlog.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class NanoTimestampsTest {

  private static final DateTimeFormatter JDK = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'")
      .withZone(ZoneOffset.UTC);

  @Test
  void writesWhatTheJdkFormatterWritesForAnyNanosecond() {
    SplittableRandom random = new SplittableRandom(3339);
    for (int i = 0; i < 200_000; i++) {
      long nanos = i % 2 == 0 ? random.nextLong() : random.nextLong(-5_000_000_000_000_000L, 5_000_000_000_000_000L);
      assertThat(NanoTimestamps.format(nanos)).isEqualTo(jdk(nanos));
    }
  }

  @Test
  void theEdgesOfTheRange() {
    for (long nanos : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1, 999_999_999, 1_000_000_000,
        951_782_400_000_000_000L, 1_645_557_742_000_000_007L}) {
      assertThat(NanoTimestamps.format(nanos)).isEqualTo(jdk(nanos));
    }
    assertThat(NanoTimestamps.format(1_645_557_742_000_000_007L)).isEqualTo("2022-02-22T19:22:22.000000007Z");
    assertThat(NanoTimestamps.format(-1)).isEqualTo("1969-12-31T23:59:59.999999999Z");
  }

  @Test
  void timesOfOneSecondAndTheNextReuseNothingStale() throws Exception {
    SplittableRandom random = new SplittableRandom(20);
    long second = 1_764_720_000L * 1_000_000_000L;
    for (int i = 0; i < 20_000; i++) {
      long nanos = second + random.nextLong(-2_000_000_000L, 2_000_000_000L);
      assertThat(NanoTimestamps.format(nanos)).isEqualTo(jdk(nanos));
    }
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> agreed = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long offset = t * 86_400_000_000_000L;
        agreed.add(threads.submit(() -> {
          for (long nanos = second + offset; nanos < second + offset + 3_000_000_000L; nanos += 999_999L) {
            if (!NanoTimestamps.format(nanos).equals(jdk(nanos))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> thread : agreed) {
        assertThat(thread.get()).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  private static String jdk(long nanos) {
    return JDK.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
        Math.floorMod(nanos, 1_000_000_000L)));
  }
}
