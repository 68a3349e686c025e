package io.auditlog.query.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The lines of an export ({@code audit-export/v1}), each one JSON object and a LF. */
final class ExportLines {

  static final String FORMAT = "audit-export/v1";

  private ExportLines() {
  }

  static ObjectNode header(String origin, ExportRange range, List<byte[]> left, List<byte[]> right,
      List<byte[]> consistency) {
    ObjectNode header = Json.MAPPER.createObjectNode()
        .put("type", "header")
        .put("format", FORMAT)
        .put("origin", origin)
        .put("tree_size", range.checkpoint().size())
        .put("from_seq", range.from())
        .put("to_seq", range.to())
        .put("checkpoint", range.checkpoint().note());
    header.set("left", HistoryJson.hashes(left));
    header.set("right", HistoryJson.hashes(right));
    range.consistency().ifPresent(span -> {
      ObjectNode proof = header.putObject("consistency").put("from", span.from()).put("to", span.to());
      proof.set("hashes", HistoryJson.hashes(consistency));
    });
    return header;
  }

  static ObjectNode event(long seq, String salt, ObjectNode event) {
    ObjectNode line = Json.MAPPER.createObjectNode().put("type", "event").put("seq", seq).put("salt", salt);
    line.set("event", event);
    return line;
  }

  static ObjectNode erasure(ErasureRows.Stored record) {
    ObjectNode line = Json.MAPPER.createObjectNode().put("type", "erasure").put("seq", record.seq())
        .put("salt", HistoryJson.base64(record.salt()));
    line.set("record", HistoryJson.record(record.record()));
    return line;
  }

  static ObjectNode redacted(long seq, byte[] entry) {
    return Json.MAPPER.createObjectNode().put("type", "redacted").put("seq", seq)
        .put("entry", HistoryJson.base64(entry));
  }

  static ObjectNode erasureProof(ErasureRows.Stored record, List<byte[]> hashes) {
    ObjectNode line = erasure(record).put("type", "erasure_proof");
    line.set("hashes", HistoryJson.hashes(hashes));
    return line;
  }

  static ObjectNode end(long count) {
    return Json.MAPPER.createObjectNode().put("type", "end").put("count", count);
  }

  /** The lines as NDJSON bytes. */
  static byte[] text(List<ObjectNode> lines) {
    StringBuilder text = new StringBuilder();
    for (ObjectNode line : lines) {
      text.append(Json.toText(line)).append('\n');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }
}
