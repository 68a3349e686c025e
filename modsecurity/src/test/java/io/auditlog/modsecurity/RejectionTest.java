package io.auditlog.modsecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RejectionTest {
  static String typeOf(String body, Limits limits) {
    EntryRejected rejected = catchThrowableOfType(EntryRejected.class,
        () -> EntryParser.parse(Samples.bytes(body), limits, Optional.empty()));
    assertThat(rejected).as("rejected: %s", body.length() > 80 ? body.substring(0, 80) : body).isNotNull();
    return rejected.type();
  }

  static String typeOf(String body) {
    return typeOf(body, Limits.DEFAULT);
  }

  @Test
  void noA() {
    String s1 = Samples.concurrent("S1");
    String withoutA = GoldenEventsTest.rearranged(s1, sections -> sections.subList(1, sections.size()));
    assertThat(typeOf(withoutA)).isEqualTo("missing_a");
    assertThat(typeOf(s1.replace("Z9FSwn8AAQEAAB4rBgQAAAAA 203.0.113.45 51234 192.0.2.10 443", "Z9FSwn8AAQEAAB4r")))
        .isEqualTo("missing_a");
  }

  @Test
  void noUniqueId() {
    String s1 = Samples.concurrent("S1");
    assertThat(typeOf(s1.replace("[12/Mar/2025:10:15:30.482913 +0100] Z9FSwn8AAQEAAB4rBgQAAAAA 203.0.113.45 51234 "
        + "192.0.2.10 443", "[12/Mar/2025:10:15:30.482913 +0100]"))).isEqualTo("missing_unique_id");
    assertThat(typeOf(Samples.entry("S4").replace("\"unique_id\":\"174177468935.112740\",", "")))
        .isEqualTo("missing_unique_id");
  }

  @Test
  void s1CutAnywhereBeforeItsZLineHasNoZ() {
    String s1 = Samples.concurrent("S1");
    int firstLineEnd = s1.indexOf('\n') + 1;
    int zLine = s1.indexOf("--5c1a3e7f-Z--");
    for (int cut = firstLineEnd; cut <= zLine; cut++) {
      assertThat(typeOf(s1.substring(0, cut))).as("cut at %d", cut).isEqualTo("missing_z");
    }
  }

  @Test
  void twoEntries() {
    assertThat(typeOf(Samples.concurrent("S1") + Samples.concurrent("S2"))).isEqualTo("two_entries");
    assertThat(typeOf(Samples.entry("S1") + Samples.entry("S1"))).isEqualTo("two_entries");
  }

  @Test
  void oversize() {
    assertThat(typeOf(Samples.concurrent("S1"), new Limits(100, 3000))).isEqualTo("entry_too_large");
  }

  /** 1 MB of empty objects, within the entry limit, is refused by its tokens before its tree grows. */
  @Test
  void aJsonEntryOfTooManyTokensIsTooLarge() {
    String tooMany = "{\"transaction\":{\"x\":[" + "{},".repeat(JsonEntryReader.MAX_TOKENS / 2) + "{}]}}";
    assertThat(typeOf(tooMany)).isEqualTo("entry_too_large");
    String within = "{\"transaction\":{\"x\":[" + "{},".repeat(JsonEntryReader.MAX_TOKENS / 2 - 20) + "{}]}}";
    EntryRejected read = catchThrowableOfType(EntryRejected.class,
        () -> EntryParser.parse(Samples.bytes(within), Limits.DEFAULT, Optional.empty()));
    assertThat(read == null ? "read" : read.type()).as("within the tokens").isNotEqualTo("entry_too_large");
  }

  @Test
  void garbage() {
    assertThat(typeOf("")).isEqualTo("unknown_format");
    assertThat(typeOf("hello\n--5c1a3e7f-A--\n")).isEqualTo("unknown_format");
    assertThat(typeOf("{\"transaction\":")).isEqualTo("unknown_format");
    assertThat(typeOf("-- not a boundary --\n")).isEqualTo("unknown_format");
    assertThat(typeOf("[1,2]")).isEqualTo("unknown_format");
    assertThat(typeOf("{\"a\":1}")).isEqualTo("missing_a");
  }
}
