package io.auditlog.modsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Boundary lines of other boundaries inside a logged body are text of their section, never structure. */
class InjectionTest {
  static final String FORGED = """
      --e1e1e1e1-A--
      [12/Mar/2025:10:15:30 +0100] FORGED-0001 192.0.2.99 4444 192.0.2.10 443
      --e1e1e1e1-B--
      GET /admin/export-all HTTP/1.1
      Host: www.example.com

      --e1e1e1e1-F--
      HTTP/1.1 200 OK

      --e1e1e1e1-Z--
      """;
  static final String BODY = "username=admin&password=%27+OR+%271%27%3D%271";

  /** S1 (serial form) with a forged entry logged inside its request body. */
  static String injected() {
    return Samples.entry("S1").replace(BODY + "\n", BODY + "&x=\n" + FORGED);
  }

  @Test
  void anInjectedEntryInABulkBodyIsTextOfTheRealEntry() throws Exception {
    List<BulkItem> items = BulkReaderTest.read(Samples.bytes(injected() + Samples.entry("S2")));
    assertThat(items).extracting(i -> i.entry().orElseThrow().uniqueId())
        .containsExactly("Z9FSwn8AAQEAAB4rBgQAAAAA", "Z9FS5X8AAQEAAB4rBgUAAAAB");
    assertThat(requestBody(items.get(0).entry().orElseThrow())).isEqualTo(BODY + "&x=\n" + FORGED.strip());
  }

  @Test
  void anInjectedEntryInAnUploadIsTextOfTheRealEntry() throws Exception {
    String upload = Samples.concurrent("S1").replace(BODY + "\n", BODY + "&x=\n" + FORGED);
    Entry entry = EntryParser.parse(Samples.bytes(upload), Limits.DEFAULT);
    assertThat(entry.uniqueId()).isEqualTo("Z9FSwn8AAQEAAB4rBgQAAAAA");
    assertThat(requestBody(entry)).isEqualTo(BODY + "&x=\n" + FORGED.strip());
    JsonNode stored = Samples.json(Json.toText(EventMapper.toEvent(entry, Samples.SOURCE, MappingOptions.DEFAULT)));
    assertThat(RawEntry.rebuild(stored)).hasValueSatisfying(raw -> assertThat(raw).isEqualTo(Samples.bytes(upload)));
  }

  @Test
  void aSecondAOfTheSameBoundaryIsStillTwoEntries() {
    String upload = Samples.concurrent("S1").replace(BODY + "\n", BODY + "\n--5c1a3e7f-A--\n");
    assertThat(RejectionTest.typeOf(upload)).isEqualTo("two_entries");
  }

  private static String requestBody(Entry entry) throws Exception {
    JsonNode stored = Samples.json(Json.toText(EventMapper.toEvent(entry, Samples.SOURCE, MappingOptions.DEFAULT)));
    return String.join("\n", ModsecView.of(stored).orElseThrow().values("REQUEST_BODY", Optional.empty()));
  }
}
