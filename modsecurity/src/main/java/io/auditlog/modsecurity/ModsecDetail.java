package io.auditlog.modsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.auditlog.model.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds {@code event.detail.modsecurity} and makes the detail fit 60 KiB of compact JSON, cutting E; then C and I;
 * then K; then J and the other letters; then the raw H; then B and F beyond 8 KiB each. Each cut section is noted in
 * {@code truncated} with its original size in bytes. Should that not be enough (huge messages), the messages' texts
 * and tags are shortened, then B, F and A dropped, then messages dropped from the end (a disruptive one kept), noted as
 * {@code truncated.messages} with the original count, then the tags of the one left.
 */
final class ModsecDetail {
  static final int MAX_DETAIL_BYTES = 60 * 1024;
  /** Nesting levels a received JSON object may have and still be stored as an object inside the detail. */
  private static final int MAX_JSON_DEPTH = 12;
  private static final int HEAD_KEEP_BYTES = 8 * 1024;
  private static final int SHORT_MESSAGE_BYTES = 256;
  private static final Set<String> NAMED = Set.of("A", "B", "C", "E", "F", "H", "I", "K");
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /**
   * Bytes past which a section is never kept whole and only its first ones are put in the detail, cut again to as many
   * bytes of JSON (escapes such as {@code \u0001} take six): more than the limit, as text and as base64 (a multiple of
   * 3, so that the base64 of those is the start of the whole section's). A cut keeps no more than the limit, so a
   * section cut from such a start is the same as one cut from the whole.
   */
  private static final int BEYOND_WHOLE_BYTES = MAX_DETAIL_BYTES + 9;
  /** The most section lines whose letters and line endings are kept; more keep each letter once. */
  static final int MAX_ORDER = 64;
  /** The longest lead (a BOM and blank lines) kept. */
  static final int MAX_LEAD_CHARS = 1024;

  /** Each section's size in bytes, noted in {@code truncated} when it is cut. */
  private final Map<String, Integer> sizes = new HashMap<>();

  private final ObjectNode detail = JSON.objectNode();
  private final ObjectNode modsecurity = detail.putObject("modsecurity");

  private ModsecDetail() {
  }

  static ObjectNode of(Entry entry) {
    ModsecDetail built = new ModsecDetail();
    entry.nativeSections().ifPresent(built::putSections);
    entry.json().ifPresent(built::putJson);
    ArrayNode messages = built.modsecurity.putArray("messages");
    entry.trailer().messages().forEach(m -> messages.add(m.toJson()));
    entry.summary().ifPresent(s -> built.modsecurity.put("summary", s));
    built.fit(entry);
    return built.modsecurity;
  }

  private void putSections(NativeSections sections) {
    modsecurity.put("boundary", sections.boundary());
    modsecurity.put("eol", sections.eol());
    List<String> order = sections.order();
    boolean wholeOrder = order.size() <= MAX_ORDER;
    if (wholeOrder) {
      sections.eols().ifPresent(eols -> eols.forEach(modsecurity.putArray("eols")::add));
    }
    String lead = sections.lead();
    if (!lead.isEmpty() && lead.length() <= MAX_LEAD_CHARS) {
      modsecurity.put("lead", lead);
    }
    (wholeOrder ? order : order.stream().distinct().toList()).forEach(modsecurity.putArray("order")::add);
    if (lead.length() > MAX_LEAD_CHARS) {
      truncated().put("lead", Text.utf8Bytes(lead));
    }
    if (!wholeOrder) {
      truncated().put("order", order.size());
      sections.eols().ifPresent(eols -> truncated().put("eols", eols.size()));
    }
    ObjectNode texts = modsecurity.putObject("sections");
    ArrayNode base64 = JSON.arrayNode();
    for (Map.Entry<String, byte[]> section : sections.sections().entrySet()) {
      byte[] bytes = section.getValue();
      sizes.put(section.getKey(), bytes.length);
      boolean text = Text.isUtf8(bytes);
      texts.put(section.getKey(), text ? Text.cutJson(Text.lenient(bytes, 0, textEnd(bytes)), BEYOND_WHOLE_BYTES)
          : Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, Math.min(bytes.length, BEYOND_WHOLE_BYTES))));
      if (!text) {
        base64.add(section.getKey());
      }
    }
    if (!base64.isEmpty()) {
      modsecurity.set("base64", base64);
    }
  }

  /**
   * Where the text of a UTF-8 section put in the detail ends: the whole section, or when it is longer than
   * {@link #BEYOND_WHOLE_BYTES} only the characters before that, since such a section is always cut (its text alone
   * passes the limit) and no cut keeps more than the limit.
   */
  private static int textEnd(byte[] bytes) {
    if (bytes.length <= BEYOND_WHOLE_BYTES) {
      return bytes.length;
    }
    int end = BEYOND_WHOLE_BYTES;
    while ((bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    return end;
  }

  private void putJson(JsonNode json) {
    modsecurity.set("json", depth(json) <= MAX_JSON_DEPTH ? json.deepCopy() : JSON.textNode(Json.toText(json)));
  }

  private int size() {
    return Json.compactBytes(detail);
  }

  private void fit(Entry entry) {
    if (size() <= MAX_DETAIL_BYTES) {
      return;
    }
    ObjectNode sections = (ObjectNode) modsecurity.get("sections");
    if (sections != null) {
      List<String> others = new ArrayList<>();
      sections.fieldNames().forEachRemaining(letter -> {
        if (!NAMED.contains(letter)) {
          others.add(letter);
        }
      });
      List<List<String>> steps = List.of(List.of("E"), List.of("C", "I"), List.of("K"), others, List.of("H"));
      for (List<String> step : steps) {
        for (String letter : step) {
          cut(sections, letter, 0);
        }
      }
      cut(sections, "B", HEAD_KEEP_BYTES);
      cut(sections, "F", HEAD_KEEP_BYTES);
    } else if (modsecurity.get("json") instanceof ObjectNode json) {
      ObjectNode holder = entry.format().equals("json-3") && json.get("transaction") instanceof ObjectNode t
          ? t : json;
      cutJsonBody(holder.get("response"), "E");
      cutJsonBody(holder.get("request"), "C");
    }
    fitMessages();
  }

  /** Cuts a section, if the detail is still too large, keeping what fits (at least {@code keep} bytes). */
  private void cut(ObjectNode sections, String letter, int keep) {
    JsonNode node = sections.get(letter);
    if (node == null || size() <= MAX_DETAIL_BYTES) {
      return;
    }
    String text = node.textValue();
    if (keep > 0 && Text.cutJson(text, keep).length() == text.length()) {
      return;
    }
    boolean base64 = modsecurity.path("base64").toString().contains("\"" + letter + "\"");
    truncated().put(letter, sizes.get(letter));
    sections.put(letter, "");
    int budget = Math.max(keep, MAX_DETAIL_BYTES - size());
    String kept = Text.cutJson(text, budget);
    sections.put(letter, base64 ? kept.substring(0, kept.length() - kept.length() % 4) : kept);
  }

  private void cutJsonBody(JsonNode part, String letter) {
    if (!(part instanceof ObjectNode object) || !object.has("body") || size() <= MAX_DETAIL_BYTES) {
      return;
    }
    JsonNode body = object.get("body");
    truncated().put(letter, Json.compactBytes(body));
    object.put("body", "");
    if (body.isTextual()) {
      object.put("body", Text.cutJson(body.textValue(), Math.max(0, MAX_DETAIL_BYTES - size())));
    }
  }

  /** The last resort: shorter message texts, then no B, F or JSON object, then fewer messages. */
  private void fitMessages() {
    if (size() <= MAX_DETAIL_BYTES) {
      return;
    }
    ArrayNode messages = (ArrayNode) modsecurity.get("messages");
    int count = messages.size();
    messages.forEach(ModsecDetail::shorten);
    if (size() > MAX_DETAIL_BYTES && modsecurity.get("sections") instanceof ObjectNode sections) {
      for (String letter : List.of("B", "F", "A")) {
        cut(sections, letter, 0);
      }
    }
    if (size() > MAX_DETAIL_BYTES && modsecurity.has("json")) {
      truncated().put("json", Json.compactBytes(modsecurity.get("json")));
      modsecurity.remove("json");
    }
    // Measured once, then less what each removal takes away: an element, and the comma before it unless alone.
    int size = size();
    for (int i = messages.size() - 1; i >= 0 && size > MAX_DETAIL_BYTES; i--) {
      if (!messages.get(i).path("disruptive").asBoolean()) {
        size -= removed(messages, i);
      }
    }
    while (messages.size() > 1 && size > MAX_DETAIL_BYTES) {
      size -= removed(messages, messages.size() - 1);
    }
    if (!messages.isEmpty() && messages.get(0).get("tags") instanceof ArrayNode tags) {
      while (!tags.isEmpty() && size > MAX_DETAIL_BYTES) {
        size -= removed(tags, tags.size() - 1);
      }
    }
    if (messages.size() < count) {
      truncated().put("messages", count);
    }
  }

  /** Removes an element of an array; answers the bytes of compact JSON that took away. */
  private static int removed(ArrayNode array, int index) {
    int bytes = Json.compactBytes(array.get(index)) + (array.size() > 1 ? 1 : 0);
    array.remove(index);
    return bytes;
  }

  /** Cuts a message's texts and tags to {@value #SHORT_MESSAGE_BYTES} bytes of compact JSON each. */
  private static void shorten(JsonNode message) {
    ObjectNode object = (ObjectNode) message;
    for (String key : List.of("id", "msg", "text", "data", "file", "rev", "ver")) {
      if (object.get(key) instanceof TextNode text) {
        object.put(key, Text.cutJson(text.textValue(), SHORT_MESSAGE_BYTES));
      }
    }
    if (object.get("tags") instanceof ArrayNode tags) {
      for (int i = 0; i < tags.size(); i++) {
        tags.set(i, TextNode.valueOf(Text.cutJson(tags.get(i).asText(), SHORT_MESSAGE_BYTES)));
      }
    }
  }

  private ObjectNode truncated() {
    return modsecurity.has("truncated") ? (ObjectNode) modsecurity.get("truncated")
        : modsecurity.putObject("truncated");
  }

  private static int depth(JsonNode node) {
    int deepest = 0;
    for (JsonNode child : node) {
      deepest = Math.max(deepest, depth(child));
    }
    return node.isContainerNode() ? deepest + 1 : 0;
  }
}
