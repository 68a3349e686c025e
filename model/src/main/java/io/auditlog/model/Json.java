package io.auditlog.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The strict JSON reader and compact writer the whole service shares. */
public final class Json {

  /** Deep enough for any valid event (a 16-level detail inside an array element), shallow enough to stop abuse. */
  static final int MAX_DOCUMENT_DEPTH = 24;

  /**
   * The most JSON tokens (each value, key, and the start and end of each object and array) in a body read by
   * {@link #parseBody}: 250 for each of 1,000 events. A tree takes up to some 75 bytes a token (an empty object is
   * two), so a short document of empty objects cannot make a tree that fills a heap; a body of 1 MiB could otherwise
   * hold half a million of them.
   */
  public static final int MAX_BODY_TOKENS = 250_000;

  /** The heap a node of a parsed tree takes, about, counted by {@link #treeBytes}. */
  private static final int NODE_BYTES = 64;

  public static final ObjectMapper MAPPER = mapper(constraints().build());

  private static final ObjectMapper BODIES = mapper(constraints().maxTokenCount(MAX_BODY_TOKENS).build());

  /** Reads one value where a body's parser stands; the parser itself then refuses what trails the whole body. */
  private static final ObjectReader VALUES = BODIES.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** What every document read here is held to. */
  private static StreamReadConstraints.Builder constraints() {
    return StreamReadConstraints.builder()
        .maxNestingDepth(MAX_DOCUMENT_DEPTH)
        .maxStringLength(8 * 1024 * 1024);
  }

  private static ObjectMapper mapper(StreamReadConstraints constraints) {
    return JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(constraints)
            .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  private Json() {
  }

  /**
   * Parses a request body strictly: UTF-8 only, no duplicate keys, no trailing data, bounded depth, every string and
   * key valid Unicode (an escaped lone surrogate such as {@code "\\ud800"} decodes to no character) and every number
   * within the range of a 64-bit float (Jackson would read {@code 1e400} as infinity). Such documents have no
   * canonical form (RFC 8785), so no event holding one could be committed to its tenant's history.
   *
   * @throws ApiException 422 at {@code ["body"]} when the bytes are not such a document, or have more than
   *     {@link #MAX_BODY_TOKENS} tokens (refused before the tree grows larger)
   */
  public static JsonNode parseBody(byte[] body) {
    return parseBody(body, Integer.MAX_VALUE, null);
  }

  /**
   * {@link #parseBody(byte[])}, reading a top-level array one element at a time: the element after the first
   * {@code maxElements} is refused with {@code tooMany} before it or the rest of the body is read, so a batch over
   * the count costs no more than one at the count.
   */
  public static JsonNode parseBody(byte[] body, int maxElements, Supplier<ApiException> tooMany) {
    String text;
    try {
      // Jackson decodes some malformed sequences leniently; a strict decoder refuses every one.
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw invalid("the body is not valid UTF-8");
    }
    try (JsonParser parser = BODIES.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw invalid("an empty body is not a JSON document");
      }
      // Unbounded, an array is read whole: element by element costs a few per cent more, for nothing.
      JsonNode tree = first == JsonToken.START_ARRAY && maxElements < Integer.MAX_VALUE
          ? elements(parser, maxElements, tooMany) : VALUES.readTree(parser);
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        throw invalid("trailing " + trailing + " after the document");
      }
      requireCanonicalizable(tree);
      return tree;
    } catch (JsonProcessingException e) {
      throw invalid(e.getOriginalMessage());
    } catch (IOException e) {
      throw invalid(e.getMessage());
    }
  }

  /** The array the parser is at the start of, read element by element. */
  private static ArrayNode elements(JsonParser parser, int maxElements, Supplier<ApiException> tooMany)
      throws IOException {
    ArrayNode array = BODIES.createArrayNode();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (array.size() == maxElements) {
        throw tooMany.get();
      }
      JsonNode element = VALUES.readTree(parser);
      array.add(element);
    }
    return array;
  }

  /**
   * Refuses (422, located where it is) a document with a lone surrogate in a string or key, or a number beyond a
   * 64-bit float: it has no canonical form.
   */
  public static void requireCanonicalizable(JsonNode node) {
    requireCanonicalizable(node, new ArrayList<>(List.of("body")));
  }

  private static void requireCanonicalizable(JsonNode node, List<Object> at) {
    if (node.isTextual() && !isUnicode(node.textValue())) {
      throw refused(at, "must not hold a lone surrogate (an escape in \\ud800-\\udfff without its pair)",
          "value_error.unicode");
    }
    // An integer too is read as a double by RFC 8785: one of 2^1024 − 2^970 or more has none.
    if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
      throw refused(at, "must be within the range of a 64-bit float", "value_error.number.not_finite");
    }
    if (node.isObject()) {
      var fields = node.fields();
      while (fields.hasNext()) {
        var field = fields.next();
        at.add(field.getKey());
        if (!isUnicode(field.getKey())) {
          throw refused(at, "key must not hold a lone surrogate (an escape in \\ud800-\\udfff without its pair)",
              "value_error.unicode");
        }
        requireCanonicalizable(field.getValue(), at);
        at.remove(at.size() - 1);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        at.add(i);
        requireCanonicalizable(node.get(i), at);
        at.remove(at.size() - 1);
      }
    }
  }

  private static ApiException refused(List<Object> at, String message, String type) {
    return ApiException.validation(new FieldError(List.copyOf(at), message, type));
  }

  /**
   * The document with every lone surrogate in its strings and keys replaced by U+FFFD, as a UTF-8 decoder replaces
   * a malformed byte: for data about hostile traffic (a WAF's log), which is kept rather than refused.
   */
  public static JsonNode withoutLoneSurrogates(JsonNode node) {
    if (node.isTextual()) {
      return isUnicode(node.textValue()) ? node : MAPPER.getNodeFactory().textNode(replaced(node.textValue()));
    }
    if (node.isArray()) {
      ArrayNode copy = MAPPER.createArrayNode();
      node.forEach(element -> copy.add(withoutLoneSurrogates(element)));
      return copy;
    }
    if (node.isObject()) {
      ObjectNode copy = MAPPER.createObjectNode();
      node.fields().forEachRemaining(field ->
          copy.set(replaced(field.getKey()), withoutLoneSurrogates(field.getValue())));
      return copy;
    }
    return node;
  }

  private static String replaced(String text) {
    if (isUnicode(text)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return out.toString();
  }

  /** True when every surrogate in {@code text} is half of a pair. */
  public static boolean isUnicode(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static ApiException invalid(String reason) {
    String firstLine = reason == null ? "malformed JSON" : reason.lines().findFirst().orElse(reason);
    return ApiException.validation(
        new FieldError(List.of("body"), "invalid JSON: " + firstLine, "value_error.jsondecode"));
  }

  /**
   * About the most heap a document's parsed tree takes: its bytes (twice when one is beyond ASCII, as a string holding
   * a character beyond Latin-1 keeps two bytes a character), and {@value #NODE_BYTES} for each of its {@code { [ , :}
   * (a document has at most three tokens for each, and each token becomes a node). An event of the seed's shape comes
   * to some eight times its bytes; a document of empty objects ({@code [{},{},…]}) to over forty.
   */
  public static long treeBytes(byte[] document) {
    boolean ascii = true;
    for (int i = 0; i < document.length && ascii; i++) {
      ascii = document[i] >= 0;
    }
    return (ascii ? 1L : 2L) * document.length + (long) structural(document, Integer.MAX_VALUE - 1) * NODE_BYTES;
  }

  /** The document's {@code { [ , :} bytes (in strings or not), counted up to {@code max + 1}. */
  public static int structural(byte[] document, int max) {
    int count = 0;
    for (int i = 0; i < document.length && count <= max; i++) {
      byte b = document[i];
      if (b == '{' || b == '[' || b == ',' || b == ':') {
        count++;
      }
    }
    return count;
  }

  public static byte[] toBytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String toText(Object value) {
    return new String(toBytes(value), StandardCharsets.UTF_8);
  }

  /** The length of the node's compact JSON, counted as it is written, not kept. */
  public static int compactBytes(JsonNode node) {
    ByteCount count = new ByteCount();
    try {
      MAPPER.writeValue(count, node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return (int) Math.min(Integer.MAX_VALUE, count.bytes);
  }

  /** Counts what is written to it. */
  private static final class ByteCount extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
    }
  }

  /** Levels of objects and arrays, the node itself being 1 when it is a container. */
  static int depth(JsonNode node) {
    if (!node.isContainerNode()) {
      return 0;
    }
    int deepest = 0;
    for (JsonNode child : node) {
      deepest = Math.max(deepest, depth(child));
    }
    return deepest + 1;
  }
}
