package io.auditlog.query.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.auditlog.model.Json;
import java.util.Base64;
import java.util.List;

/** Hashes, entries and salts as padded standard base64, and stored records as JSON values. */
final class HistoryJson {

  private HistoryJson() {
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static ArrayNode hashes(List<byte[]> hashes) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    hashes.forEach(hash -> array.add(base64(hash)));
    return array;
  }

  /** An erasure record's stored JSON text as a value: its canonical form, and so its commitment, is unchanged. */
  static JsonNode record(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored erasure record is not JSON", e);
    }
  }
}
