package io.auditlog.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The strict JSON reader and compact writer the whole service shares. */
public final class Json {

  /** Deep enough for any valid event (a 16-level detail inside an array element), shallow enough to stop abuse. */
  static final int MAX_DOCUMENT_DEPTH = 24;

  public static final ObjectMapper MAPPER = JsonMapper.builder(
          com.fasterxml.jackson.core.JsonFactory.builder()
              .streamReadConstraints(StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DOCUMENT_DEPTH)
                  .maxStringLength(8 * 1024 * 1024)
                  .build())
              .build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private Json() {
  }

  /**
   * Parses a request body strictly: UTF-8 only, no duplicate keys, no trailing data, bounded depth.
   *
   * @throws ApiException 422 at {@code ["body"]} when the bytes are not such a document
   */
  public static JsonNode parseBody(byte[] body) {
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
    try (JsonParser parser = MAPPER.createParser(text)) {
      JsonNode tree = MAPPER.readTree(parser);
      if (tree == null || tree.isMissingNode()) {
        throw invalid("an empty body is not a JSON document");
      }
      return tree;
    } catch (JsonProcessingException e) {
      throw invalid(e.getOriginalMessage());
    } catch (IOException e) {
      throw invalid(e.getMessage());
    }
  }

  private static ApiException invalid(String reason) {
    String firstLine = reason == null ? "malformed JSON" : reason.lines().findFirst().orElse(reason);
    return ApiException.validation(
        new FieldError(List.of("body"), "invalid JSON: " + firstLine, "value_error.jsondecode"));
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

  static int compactBytes(JsonNode node) {
    return toBytes(node).length;
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
