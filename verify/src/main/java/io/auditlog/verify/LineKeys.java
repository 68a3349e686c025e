package io.auditlog.verify;

import java.util.List;
import java.util.Map;

/**
 * The keys of each line type of an export (§6), exactly. The root commits to the hashed documents only, so a key
 * beside them, such as a note next to an event, is a claim nothing signed: a line holding any other key fails.
 */
final class LineKeys {

  /** The keys of the header's consistency proof. */
  static final List<String> CONSISTENCY = List.of("from", "to", "hashes");

  private static final Map<String, List<String>> BY_TYPE = Map.of(
      "header", List.of("type", "format", "origin", "tree_size", "from_seq", "to_seq", "checkpoint", "left", "right",
          "consistency"),
      "event", List.of("type", "seq", "salt", "event"),
      "erasure", List.of("type", "seq", "salt", "record"),
      "redacted", List.of("type", "seq", "entry"),
      "erasure_proof", List.of("type", "seq", "salt", "record", "hashes"),
      "end", List.of("type", "count"));

  private LineKeys() {
  }

  /** The keys a line of this known type may hold. */
  static List<String> of(String type) {
    List<String> keys = BY_TYPE.get(type);
    if (keys == null) {
      throw new IllegalArgumentException("unknown line type \"" + type + "\"");
    }
    return keys;
  }
}
