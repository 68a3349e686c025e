package io.auditlog.modsecurity;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One rule message. Unknown parts are null (and absent from the stored object); {@code phase} is known only for a
 * disruptive message.
 */
record Message(String id, String msg, Integer severity, String text, String data, List<String> tags, String file,
               Integer line, String rev, String ver, boolean disruptive, Integer phase) {
  static final int MAX_MSG_BYTES = 1024;
  static final int MAX_DATA_BYTES = 4096;

  /** The stored form: {@code id msg severity text data tags file line rev ver disruptive phase}. */
  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    putText(node, "id", id);
    putText(node, "msg", msg);
    if (severity != null) {
      node.put("severity", severity);
    }
    putText(node, "text", text);
    putText(node, "data", data);
    if (!tags.isEmpty()) {
      tags.forEach(node.putArray("tags")::add);
    }
    putText(node, "file", file);
    if (line != null) {
      node.put("line", line);
    }
    putText(node, "rev", rev);
    putText(node, "ver", ver);
    node.put("disruptive", disruptive);
    if (phase != null) {
      node.put("phase", phase);
    }
    return node;
  }

  private static void putText(ObjectNode node, String key, String value) {
    if (value != null) {
      node.put(key, value);
    }
  }
}
