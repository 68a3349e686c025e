package io.auditlog.modsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The shared samples S1–S4 ({@code modsecurity-samples.txt}): entries, summaries, golden events and message keys,
 * for the tests of every module (published in this module's test jar). The file is the contract's own, in
 * {@code ../shared/data} beside the project: the build passes its path as the system property {@code modsec.samples}.
 */
public final class Samples {
  public static final Source SOURCE = new Source("edge-01", "edge-01", "staging", "modsecurity");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> LINES = load();

  private Samples() {
  }

  private static List<String> load() {
    Path path = Path.of(System.getProperty("modsec.samples", "../../shared/data/modsecurity-samples.txt"));
    try {
      return Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text between "=== &lt;kind&gt; &lt;name&gt;…" and the next marker line, joined with LF. */
  private static String block(String kind, String name) {
    StringBuilder text = new StringBuilder();
    boolean inside = false;
    for (String line : LINES) {
      if (inside) {
        if (line.startsWith("=== ")) {
          return text.toString();
        }
        text.append(line).append('\n');
      } else if (line.startsWith("=== " + kind + " " + name + " ")) {
        inside = true;
      }
    }
    if (inside) {
      return text.toString();
    }
    throw new IllegalArgumentException(kind + " " + name);
  }

  /** The entry text exactly as in the file (serial form for S1, S2). */
  public static String entry(String name) {
    String text = block("BEGIN", name);
    return name.equals("S4") ? text.substring(0, text.length() - 1) : text;
  }

  /** The concurrent file mlogc uploads: the serial form without the final blank line. */
  public static String concurrent(String name) {
    return concurrentForm(entry(name));
  }

  private static String concurrentForm(String text) {
    return text.endsWith("\n\n") ? text.substring(0, text.length() - 1) : text;
  }

  public static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The concurrent file's bytes, as mlogc uploads it. */
  public static byte[] file(String name) {
    return bytes(concurrent(name));
  }

  /**
   * The entry (serial form) as the {@code n}th distinct copy: a unique id and a boundary of its own, the rest
   * unchanged, so that a log of many copies holds many entries.
   */
  public static String renumbered(String name, int n) {
    String text = entry(name);
    String boundary = text.substring(2, text.indexOf("-A--\n"));
    String hex = String.format("%08x", n);
    String fresh = boundary.startsWith("-") ? "-" + hex + "--" : hex;
    String uniqueId = uniqueId(name);
    return text.replace("--" + boundary + "-", "--" + fresh + "-").replace(uniqueId, uniqueId + "-" + n);
  }

  /** The concurrent file of the {@code n}th copy, as mlogc uploads it. */
  public static byte[] renumberedFile(String name, int n) {
    return bytes(concurrentForm(renumbered(name, n)));
  }

  /** The index line of the {@code n}th copy (S1 and S2 have one): the sample's, with the copy's unique id. */
  public static String renumberedSummary(String name, int n) {
    String uniqueId = uniqueId(name);
    return summary(name).replace(uniqueId, uniqueId + "-" + n);
  }

  private static String uniqueId(String name) {
    return expected(name).path("metadata").get(0).path("value").asText();
  }

  public static String summary(String name) {
    return block("SUMMARY", name).strip();
  }

  public static JsonNode expected(String name) {
    return json(block("EXPECTED", name));
  }

  public static JsonNode expectedMessages(String name) {
    return json(block("EXPECTED-MESSAGES", name));
  }

  public static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String crlf(String text) {
    return text.replace("\n", "\r\n");
  }
}
