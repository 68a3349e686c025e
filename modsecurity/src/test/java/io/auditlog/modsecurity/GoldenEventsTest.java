package io.auditlog.modsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.EventValidator;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GoldenEventsTest {
  static ObjectNode event(String text, Optional<String> summary) throws EntryRejected {
    Entry entry = EntryParser.parse(Samples.bytes(text), Limits.DEFAULT, summary);
    return EventMapper.toEvent(entry, Samples.SOURCE, MappingOptions.DEFAULT);
  }

  static Optional<String> summaryOf(String name) {
    return name.equals("S1") || name.equals("S2") ? Optional.of(Samples.summary(name) + " ") : Optional.empty();
  }

  static void assertGolden(String name, ObjectNode event) {
    assertThat(new EventValidator().validate(event)).hasSize(1);
    Golden.assertEvent(name, event);
  }

  @ParameterizedTest
  @ValueSource(strings = {"S1", "S2", "S3", "S4"})
  void samplesGiveTheirGoldenEvents(String name) throws Exception {
    assertGolden(name, event(Samples.concurrent(name), summaryOf(name)));
    assertGolden(name, event(Samples.entry(name), Optional.empty()));
  }

  @Test
  void concurrentFilesAreTheDocumentedBytes() throws Exception {
    assertThat(Samples.bytes(Samples.concurrent("S1"))).hasSize(3186);
    assertThat(md5(Samples.concurrent("S1"))).isEqualTo("b59249401114892f46ed020f8b8795b9");
    assertThat(md5(Samples.concurrent("S2"))).isEqualTo("e42a8e0d432500744510c6f155998c5b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"S1", "S2", "S3"})
  void crlfGivesTheSameEvent(String name) throws Exception {
    assertGolden(name, event(Samples.crlf(Samples.concurrent(name)), summaryOf(name)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"S1", "S2", "S3"})
  void reorderedSectionsGiveTheSameEvent(String name) throws Exception {
    assertGolden(name, event(rearranged(Samples.concurrent(name), sections -> {
      List<String> reversed = new ArrayList<>(sections.subList(0, sections.size() - 1));
      java.util.Collections.reverse(reversed);
      reversed.add(sections.get(sections.size() - 1));
      return reversed;
    }), summaryOf(name)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"S1", "S2", "S3"})
  void optionalPartsRemovedGiveTheSameEvent(String name) throws Exception {
    Set<Character> optional = Set.of('C', 'D', 'E', 'I', 'J', 'K');
    String entry = rearranged(Samples.concurrent(name), sections -> sections.stream()
        .filter(s -> !optional.contains(letter(s))).toList());
    ObjectNode event = event(entry, summaryOf(name));
    assertGolden(name, event);
    assertThat(event.at("/event/detail/modsecurity/order").toString()).doesNotContain("\"E\"", "\"C\"", "\"K\"");
  }

  @Test
  void withoutBAndFTheMethodAndStatusComeFromTheSummary() throws Exception {
    String entry = rearranged(Samples.concurrent("S1"), sections -> sections.stream()
        .filter(s -> !s.startsWith("--5c1a3e7f-B") && !s.startsWith("--5c1a3e7f-F")).toList());
    ObjectNode withSummary = event(entry, summaryOf("S1"));
    assertThat(withSummary.path("method").asText()).isEqualTo("POST");
    assertThat(withSummary.path("status").asText()).isEqualTo("403");
    ObjectNode without = event(entry, Optional.empty());
    assertThat(without.path("method").asText()).isEqualTo("-");
    assertThat(without.path("status").asText()).isEqualTo("-");
    assertThat(new EventValidator().validate(without)).hasSize(1);
  }

  /** The entry with its sections (each boundary line with its text) rearranged. */
  static String rearranged(String entry, UnaryOperator<List<String>> change) {
    return String.join("", change.apply(sections(entry)));
  }

  /** The sections of an entry, each its boundary line and text. */
  static List<String> sections(String entry) {
    List<String> sections = new ArrayList<>();
    StringBuilder current = null;
    for (String line : entry.split("(?<=\n)")) {
      if (line.startsWith("--") && line.strip().endsWith("--") && line.strip().length() < 40
          && Character.isUpperCase(line.strip().charAt(line.strip().length() - 3))) {
        if (current != null) {
          sections.add(current.toString());
        }
        current = new StringBuilder();
      }
      current.append(line);
    }
    sections.add(current.toString());
    return sections;
  }

  static char letter(String section) {
    String boundaryLine = section.substring(0, section.indexOf('\n'));
    return boundaryLine.charAt(boundaryLine.length() - 3);
  }

  static String md5(String text) throws Exception {
    byte[] digest = MessageDigest.getInstance("MD5").digest(Samples.bytes(text));
    return String.format("%032x", new BigInteger(1, digest));
  }
}
