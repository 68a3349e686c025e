package io.auditlog.modsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.EventValidator;
import io.auditlog.model.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Entries at the 16 MiB limit, shaped to make a parser build many small things (a million lines, a line of a
 * million fields, a million section lines), parse and map in a heap a few times their size, each to an event whose
 * detail fits 60 KiB.
 */
class EntryMemoryTest {
  static final int ENTRY_BYTES = 16 * 1024 * 1024 - 64;
  static final String HEAP = "-Xmx96m";
  private static final String A = "--abcd1234-A--\n[12/Mar/2025:10:15:30 +0100] uid1 203.0.113.45 1 192.0.2.10 443\n";
  private static final String Z = "--abcd1234-Z--\n";

  /** The shapes, each an entry's start and the piece repeated to fill it. */
  static Map<String, String[]> shapes() {
    Map<String, String[]> shapes = new LinkedHashMap<>();
    shapes.put("a-lines", new String[] {A, "a\n"});
    shapes.put("head-lines", new String[] {A + "--abcd1234-B--\nGET / HTTP/1.1\nHost: h\n", "a:b\n"});
    shapes.put("trailer-lines", new String[] {A + "--abcd1234-H--\n", "a\n"});
    shapes.put("message-lines", new String[] {A + "--abcd1234-H--\n", "Message: x\n"});
    shapes.put("section-lines", new String[] {A, "--abcd1234-C--\n"});
    shapes.put("mixed-section-lines", new String[] {A, "--abcd1234-C--\r\n--abcd1234-D--\n"});
    shapes.put("request-fields", new String[] {A + "--abcd1234-B--\nGET ", "/ "});
    shapes.put("binary-body", new String[] {A + "--abcd1234-E--\n", "\u00ff"});
    shapes.put("lead", new String[] {"", "\n"});
    return shapes;
  }

  /** One shape's entry, built in place (the lead shape puts its filler before the A line). */
  static byte[] entry(String shape) {
    String[] parts = shapes().get(shape);
    byte[] head = parts[0].getBytes(StandardCharsets.ISO_8859_1);
    byte[] piece = parts[1].getBytes(StandardCharsets.ISO_8859_1);
    byte[] tail = ((shape.equals("request-fields") ? "HTTP/1.1\n" : "") + (shape.equals("lead") ? A : "")
        + (shape.equals("binary-body") ? "\n" : "") + Z).getBytes(StandardCharsets.ISO_8859_1);
    int pieces = (ENTRY_BYTES - head.length - tail.length) / piece.length;
    byte[] entry = new byte[head.length + pieces * piece.length + tail.length];
    System.arraycopy(head, 0, entry, 0, head.length);
    for (int i = 0; i < pieces; i++) {
      System.arraycopy(piece, 0, entry, head.length + i * piece.length, piece.length);
    }
    System.arraycopy(tail, 0, entry, entry.length - tail.length, tail.length);
    return entry;
  }

  /** Parses and maps every shape in turn and prints, for each, its name and its event. */
  public static void main(String[] args) throws Exception {
    for (String shape : shapes().keySet()) {
      byte[] entry = entry(shape);
      ObjectNode event = EventMapper.toEvent(EntryParser.parse(entry, Limits.DEFAULT, Optional.empty()),
          new Source("waf", "app", "prod", "security"), MappingOptions.DEFAULT);
      System.out.println(shape + " " + Json.toText(event));
    }
  }

  @Test
  @Timeout(180)
  void entriesShapedToMultiplyTheirCostParseInAFewTimesTheirSize() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process = new ProcessBuilder(java, HEAP, "-cp", System.getProperty("java.class.path"),
        EntryMemoryTest.class.getName()).redirectErrorStream(true).start();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    process.getInputStream().transferTo(output);
    String text = output.toString(StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(text.length() > 4000 ? text.substring(0, 4000) : text).isZero();
    Map<String, ObjectNode> events = new LinkedHashMap<>();
    text.lines().forEach(line -> events.put(line.substring(0, line.indexOf(' ')),
        (ObjectNode) Json.parseBody(line.substring(line.indexOf(' ') + 1).getBytes(StandardCharsets.UTF_8))));
    assertThat(events.keySet()).containsExactlyElementsOf(shapes().keySet());
    for (ObjectNode event : events.values()) {
      assertThat(new EventValidator().validate(event)).hasSize(1);
      assertThat(Json.toBytes(event.at("/event/detail")).length).isLessThanOrEqualTo(ModsecDetail.MAX_DETAIL_BYTES);
    }
    JsonNode request = events.get("request-fields");
    assertThat(LimitsTest.metadata((ObjectNode) request, "protocol").asText()).isEqualTo("HTTP/1.1");
    assertThat(LimitsTest.metadata((ObjectNode) request, "uri").asText()).startsWith("/ / /")
        .hasSize(EventMapper.MAX_URI_BYTES);
    assertThat(events.get("head-lines").at("/resource/name").asText()).isEqualTo("h");
    assertThat(events.get("message-lines").at("/event/detail/modsecurity/messages").size()).isEqualTo(100);
    JsonNode sections = events.get("section-lines").at("/event/detail/modsecurity");
    assertThat(sections.path("order").toString()).isEqualTo("[\"A\",\"C\",\"Z\"]");
    assertThat(sections.at("/truncated/order").asInt()).isGreaterThan(1_000_000);
    assertThat(events.get("mixed-section-lines").at("/event/detail/modsecurity/truncated/eols").asInt())
        .isGreaterThan(1_000_000);
    assertThat(events.get("lead").at("/event/detail/modsecurity/truncated/lead").asInt()).isGreaterThan(16_000_000);
    JsonNode binary = events.get("binary-body").at("/event/detail/modsecurity");
    assertThat(binary.path("base64").toString()).contains("\"E\"");
    assertThat(binary.at("/truncated/E").asInt()).isGreaterThan(16_000_000);
    assertThat(binary.at("/sections/E").asText()).startsWith("////");
  }
}
