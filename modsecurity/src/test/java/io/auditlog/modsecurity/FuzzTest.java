package io.auditlog.modsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.EventValidator;
import io.auditlog.model.Json;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random mutations, long runs of one byte and truncations of S1–S4: only EntryRejected, an event the validator
 * accepts otherwise, and bounded time.
 */
class FuzzTest {
  private static final int ROUNDS = 3000;
  private static final long MAX_NANOS_PER_INPUT = 2_000_000_000L;
  private static final List<String> VARIABLES = List.of("REQUEST_URI", "REQUEST_URI_RAW", "QUERY_STRING",
      "REQUEST_LINE", "REQUEST_PROTOCOL", "REQUEST_HEADERS", "REQUEST_HEADERS_NAMES", "REQUEST_COOKIES",
      "REQUEST_COOKIES_NAMES", "ARGS", "ARGS_NAMES", "ARGS_GET", "ARGS_POST", "REQUEST_BODY", "RESPONSE_BODY",
      "RESPONSE_PROTOCOL", "RESPONSE_HEADERS", "RESPONSE_HEADERS_NAMES", "REMOTE_PORT", "SERVER_ADDR",
      "SERVER_PORT", "SERVER_NAME", "RULE_ID", "RULE_MSG", "RULE_DATA", "RULE_FILE", "RULE_LINE", "RULE_SEV",
      "MESSAGE", "RULE_TAG", "HIGHEST_SEVERITY", "LOWEST_SEVERITY", "WEBAPPID", "SESSIONID", "SENSOR_DATE");
  private static final byte[] INTERESTING = Samples.bytes("\n\r-[]\" :{}\\%=&;?\u00ff\u0000A Z");

  @Test
  @Timeout(300)
  void mutatedSamplesOnlyEverGiveEntryRejectedOrAValidEvent() throws Exception {
    Random random = new Random(20250312L);
    EventValidator validator = new EventValidator();
    int parsed = 0;
    for (String name : List.of("S1", "S2", "S3", "S4")) {
      byte[] sample = Samples.bytes(Samples.concurrent(name));
      for (int round = 0; round < ROUNDS; round++) {
        byte[] input = mutate(sample, random);
        long start = System.nanoTime();
        try {
          Entry entry = EntryParser.parse(input, Limits.DEFAULT, Optional.of("x \"GET / HTTP/1.1\" 200"));
          ObjectNode event = EventMapper.toEvent(entry, Samples.SOURCE, MappingOptions.DEFAULT);
          validator.validate(event);
          JsonNode stored = Samples.json(Json.toText(event));
          ModsecView view = ModsecView.of(stored).orElseThrow();
          VARIABLES.forEach(v -> view.values(v, Optional.empty()));
          Optional<byte[]> raw = RawEntry.rebuild(stored);
          if (entry.format().startsWith("native") && raw.isPresent()) {
            assertThat(raw.get()).isEqualTo(input);
          }
          parsed++;
        } catch (EntryRejected expected) {
          assertThat(expected.type()).isIn("missing_a", "missing_z", "missing_unique_id", "two_entries",
              "unknown_format", "entry_too_large");
        }
        assertThat(System.nanoTime() - start).as("time for one input").isLessThan(MAX_NANOS_PER_INPUT);
      }
    }
    assertThat(parsed).as("some mutations still parse").isGreaterThan(ROUNDS);
  }

  @Test
  @Timeout(300)
  void mutatedSerialLogsOnlyEverGiveItems() {
    Random random = new Random(42L);
    byte[] log = Samples.bytes(Samples.entry("S1") + Samples.entry("S2") + Samples.entry("S3") + Samples.entry("S4")
        + "\n");
    for (int round = 0; round < 1000; round++) {
      byte[] input = mutate(log, random);
      try (BulkReader reader = new BulkReader(new ByteArrayInputStream(input), Limits.DEFAULT)) {
        int items = 0;
        while (reader.hasNext()) {
          BulkItem item = reader.next();
          assertThat(item.entry().isPresent()).isNotEqualTo(item.rejected().isPresent());
          assertThat(item.offset()).isBetween(0L, (long) input.length);
          items++;
        }
        assertThat(items).isLessThanOrEqualTo(input.length);
      }
    }
  }

  /** The bytes with a run of up to 20,000 copies of one byte (a control character, say) inserted at {@code at}. */
  private static byte[] run(byte[] bytes, int at, Random random) {
    byte[] run = new byte[random.nextInt(20_000)];
    Arrays.fill(run, random.nextBoolean() ? 1 : INTERESTING[random.nextInt(INTERESTING.length)]);
    byte[] longer = new byte[bytes.length + run.length];
    System.arraycopy(bytes, 0, longer, 0, at);
    System.arraycopy(run, 0, longer, at, run.length);
    System.arraycopy(bytes, at, longer, at + run.length, bytes.length - at);
    return longer;
  }

  static byte[] mutate(byte[] sample, Random random) {
    byte[] bytes = sample.clone();
    int mutations = 1 + random.nextInt(6);
    for (int i = 0; i < mutations && bytes.length > 0; i++) {
      int at = random.nextInt(bytes.length);
      switch (random.nextInt(7)) {
        case 0 -> bytes[at] = (byte) random.nextInt(256);
        case 1 -> bytes[at] = INTERESTING[random.nextInt(INTERESTING.length)];
        case 2 -> bytes = Arrays.copyOf(bytes, at);
        case 3 -> {
          int length = Math.min(bytes.length - at, random.nextInt(200));
          byte[] shorter = new byte[bytes.length - length];
          System.arraycopy(bytes, 0, shorter, 0, at);
          System.arraycopy(bytes, at + length, shorter, at, bytes.length - at - length);
          bytes = shorter;
        }
        case 4 -> {
          int from = random.nextInt(bytes.length);
          int length = Math.min(bytes.length - from, random.nextInt(400));
          byte[] longer = new byte[bytes.length + length];
          System.arraycopy(bytes, 0, longer, 0, at);
          System.arraycopy(bytes, from, longer, at, length);
          System.arraycopy(bytes, at, longer, at + length, bytes.length - at);
          bytes = longer;
        }
        case 5 -> bytes = run(bytes, at, random);
        default -> bytes[at] = bytes[random.nextInt(bytes.length)];
      }
    }
    return bytes;
  }
}
