package io.auditlog.modsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A bulk of many open entries with large bodies is read with one entry's worth of memory. */
class BulkMemoryTest {
  static final int ENTRIES = 64;
  static final int BODY_BYTES = 3 * 1024 * 1024;
  static final int ENTRY_LIMIT = 2 * 1024 * 1024;

  /** Reads the bomb (64 A lines, then 64 E sections of 3 MiB: 192 MiB) and prints "items rejected bytesRead". */
  public static void main(String[] args) {
    int items = 0;
    int rejected = 0;
    try (BulkReader reader = new BulkReader(bomb(), new Limits(100, ENTRY_LIMIT))) {
      while (reader.hasNext()) {
        items++;
        rejected += reader.next().rejected().isPresent() ? 1 : 0;
      }
      System.out.println(items + " " + rejected + " " + reader.bytesRead());
    }
  }

  /** The shape of a decompression bomb of interleaved open entries, made as it is read. */
  static InputStream bomb() {
    return new InputStream() {
      private final byte[] bodyLine = ("x".repeat(1023) + "\n").getBytes(StandardCharsets.US_ASCII);
      private byte[] chunk = new byte[0];
      private int at;
      private int produced;

      @Override
      public int read() {
        if (at == chunk.length && !nextChunk()) {
          return -1;
        }
        return chunk[at++] & 0xFF;
      }

      private boolean nextChunk() {
        int linesPerBody = BODY_BYTES / bodyLine.length;
        int n = produced++;
        if (n < ENTRIES) {
          chunk = String.format("--b%04d-A--\n[12/Mar/2025:10:15:30 +0100] bomb%04d 203.0.113.45 1 192.0.2.10 443\n",
              n, n).getBytes(StandardCharsets.US_ASCII);
        } else if ((n - ENTRIES) % (linesPerBody + 1) == 0 && n - ENTRIES < ENTRIES * (linesPerBody + 1)) {
          int entry = (n - ENTRIES) / (linesPerBody + 1);
          chunk = String.format("--b%04d-E--\n", entry).getBytes(StandardCharsets.US_ASCII);
        } else if (n - ENTRIES < ENTRIES * (linesPerBody + 1)) {
          chunk = bodyLine;
        } else {
          return false;
        }
        at = 0;
        return true;
      }
    };
  }

  @Test
  @Timeout(120)
  void aBombOfOpenEntriesIsReadInASmallHeap() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process = new ProcessBuilder(java, "-Xmx48m", "-cp", System.getProperty("java.class.path"),
        BulkMemoryTest.class.getName()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    String[] counts = output.strip().split(" ");
    assertThat(Integer.parseInt(counts[1])).as(output).isPositive().isEqualTo(Integer.parseInt(counts[0]));
    assertThat(Long.parseLong(counts[2])).as("bytes read").isGreaterThan((long) ENTRIES * BODY_BYTES);
  }

  /** Items read from a stream, and the bytes the reading thread allocated. */
  private static long allocatedReading(byte[] log, List<BulkItem> items) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    try (BulkReader reader = new BulkReader(new java.io.ByteArrayInputStream(log), Limits.DEFAULT)) {
      reader.forEachRemaining(items::add);
    }
    return threads.getCurrentThreadAllocatedBytes() - before;
  }

  /**
   * A thousand A lines of as many boundaries, each nested in the one before and none with its Z: every entry is
   * abandoned at the end, and read again from the next A inside it. That reading again is bounded by the stream's own
   * bytes; before, it went to every entry's end again, a thousand times 2 MB.
   */
  @Test
  void nestedEntriesWithoutTheirZAreReadAgainOnlyUpToTheStreamsOwnBytes() {
    StringBuilder log = new StringBuilder();
    for (int n = 0; n < 1_000; n++) {
      log.append(String.format("--n%07d-A--\n[12/Mar/2025:10:15:30 +0100] nest%d 203.0.113.45 1 192.0.2.10 443\n",
          n, n));
    }
    String padding = "p".repeat(99) + "\n";
    while (log.length() < 2_000_000) {
      log.append(padding);
    }
    byte[] bytes = Samples.bytes(log.toString());
    List<BulkItem> items = new ArrayList<>();
    long allocated = allocatedReading(bytes, items);
    assertThat(items).isNotEmpty().allMatch(item -> item.rejected().isPresent());
    assertThat(items.get(0).rejected().orElseThrow().type()).isEqualTo("missing_z");
    assertThat(allocated).as("bytes allocated reading %d", bytes.length).isLessThan(20L * bytes.length);
  }

  /**
   * An unended entry holding a hundred thousand A lines of a second boundary: read again, each of those ends the one
   * before it and is read again itself, without the rest of what is read again being copied each time.
   */
  @Test
  void entriesEndedOneByTheNextWithinWhatIsReadAgainAreReadInLinearTime() {
    StringBuilder log = new StringBuilder("--outer000-A--\n[12/Mar/2025:10:15:30 +0100] outer 203.0.113.45 1\n");
    for (int n = 0; n < 100_000; n++) {
      log.append("--inner000-A--\n");
    }
    byte[] bytes = Samples.bytes(log.toString());
    List<BulkItem> items = new ArrayList<>();
    long allocated = allocatedReading(bytes, items);
    assertThat(items).hasSize(100_001).allMatch(item -> item.rejected().isPresent());
    assertThat(allocated).as("bytes allocated reading %d", bytes.length).isLessThan(200L * bytes.length);
  }

  @Test
  void bytesReadCountsTheDecompressedBytes() throws Exception {
    byte[] log = Samples.bytes(BulkReaderTest.serial());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(log);
    }
    List<BulkItem> items = new ArrayList<>();
    try (BulkReader reader = new BulkReader(new java.io.ByteArrayInputStream(out.toByteArray()), Limits.DEFAULT)) {
      reader.forEachRemaining(items::add);
      assertThat(reader.bytesRead()).isEqualTo(log.length);
    }
    assertThat(items).hasSize(3);
  }

  @Test
  void anOversizeEntryIsRejectedAndTheNextIsRead() {
    String big = Samples.entry("S1").replace("<html><head>", "y".repeat(3000) + "\n<html><head>");
    List<BulkItem> items = new ArrayList<>();
    byte[] log = Samples.bytes(big + "x".repeat(5000) + "\n" + Samples.entry("S2"));
    try (BulkReader reader = new BulkReader(new java.io.ByteArrayInputStream(log), new Limits(100, 4096))) {
      reader.forEachRemaining(items::add);
    }
    assertThat(items).hasSize(2);
    assertThat(items.get(0).rejected().orElseThrow().type()).isEqualTo("entry_too_large");
    assertThat(items.get(0).uniqueId()).hasValue("Z9FSwn8AAQEAAB4rBgQAAAAA");
    assertThat(items.get(1).entry().orElseThrow().uniqueId()).isEqualTo("Z9FS5X8AAQEAAB4rBgUAAAAB");
  }
}
