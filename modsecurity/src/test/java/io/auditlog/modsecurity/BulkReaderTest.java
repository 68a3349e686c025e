package io.auditlog.modsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BulkReaderTest {
  static List<BulkItem> read(byte[] body) {
    List<BulkItem> items = new ArrayList<>();
    try (BulkReader reader = new BulkReader(new ByteArrayInputStream(body), Limits.DEFAULT)) {
      reader.forEachRemaining(items::add);
    }
    return items;
  }

  static String serial() {
    return Samples.entry("S1") + Samples.entry("S2") + Samples.entry("S3");
  }

  @Test
  void aSerialLogGivesItsThreeEntries() {
    List<BulkItem> items = read(Samples.bytes(serial()));
    assertThat(items).extracting(i -> i.entry().orElseThrow().uniqueId())
        .containsExactly("Z9FSwn8AAQEAAB4rBgQAAAAA", "Z9FS5X8AAQEAAB4rBgUAAAAB", "174177466171.829364");
    assertThat(items).extracting(BulkItem::index).containsExactly(1, 2, 3);
    assertThat(items.get(1).offset()).isEqualTo(Samples.bytes(Samples.entry("S1")).length);
  }

  @Test
  void gzipAndCrlfAreRead() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(Samples.bytes(Samples.crlf(serial())));
    }
    assertThat(read(out.toByteArray())).hasSize(3).allMatch(i -> i.entry().isPresent());
  }

  @Test
  void aTruncatedEntryIsRejectedWithItsOffsetAndReadingResumes() {
    String s2 = Samples.entry("S2");
    String cut = s2.substring(0, s2.indexOf("--a9d04b21-H--") + 20);
    List<BulkItem> items = read(Samples.bytes(Samples.entry("S1") + cut + "\n" + Samples.entry("S3")));
    assertThat(items).filteredOn(i -> i.entry().isPresent()).extracting(i -> i.entry().get().uniqueId())
        .containsExactly("Z9FSwn8AAQEAAB4rBgQAAAAA", "174177466171.829364");
    BulkItem rejected = items.stream().filter(i -> i.rejected().isPresent()).findFirst().orElseThrow();
    assertThat(rejected.index()).isEqualTo(2);
    assertThat(rejected.offset()).isEqualTo(Samples.bytes(Samples.entry("S1")).length);
    assertThat(rejected.rejected().get().type()).isEqualTo("missing_z");
    assertThat(rejected.uniqueId()).hasValue("Z9FS5X8AAQEAAB4rBgUAAAAB");
    assertThat(items).hasSize(3);
  }

  @Test
  void jsonLinesAndConcatenatedFiles() {
    String s4 = Samples.entry("S4");
    assertThat(read(Samples.bytes(s4 + "\n"))).singleElement()
        .satisfies(i -> assertThat(i.entry().orElseThrow().format()).isEqualTo("json-3"));
    List<BulkItem> mixed = read(Samples.bytes(Samples.concurrent("S1") + Samples.concurrent("S2") + s4 + "\n"
        + "{\"transaction\":{}}\n"));
    assertThat(mixed).hasSize(4);
    assertThat(mixed.get(3).rejected().orElseThrow().type()).isEqualTo("missing_unique_id");
  }

  @Test
  void nothingInGivesNothingOut() {
    assertThat(read(new byte[0])).isEmpty();
    assertThat(read(Samples.bytes("\n\ngarbage\n"))).isEmpty();
  }

  /**
   * Entries cut before their Z (a writer that died), each followed by whole ones, each entry with a boundary of its
   * own: every whole entry is read, however many cut ones come before it. The first cut one holds everything after it
   * as text until the end, and what is read again after each grows with their number: past the stream's own bytes, an
   * A line of another boundary ends the entry it is in.
   */
  @Test
  void wholeEntriesAfterManyCutOnesAreAllRead() {
    StringBuilder log = new StringBuilder();
    int n = 0;
    int whole = 0;
    for (int part : new int[] {3, 10, 30, 5}) {
      String cut = Samples.renumbered("S1", n++);
      log.append(cut, 0, cut.indexOf("--", cut.indexOf("-H--") + 4));
      for (int i = 0; i < part; i++, whole++) {
        log.append(Samples.renumbered(List.of("S1", "S2", "S3").get(i % 3), n++));
      }
    }
    List<BulkItem> items = read(Samples.bytes(log.toString()));
    assertThat(items).filteredOn(item -> item.entry().isPresent()).hasSize(whole);
    assertThat(items).filteredOn(item -> item.rejected().isPresent())
        .allMatch(item -> item.rejected().orElseThrow().type().equals("missing_z")).hasSize(4);
    assertThat(items).extracting(BulkItem::index).isSorted().doesNotHaveDuplicates();
  }
}
