package io.auditlog.gateway.accounts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;

/** The seed's message body: {@code {"loc": null, "msg": "...", "type": null}}. */
final class AccountMessages {

  private AccountMessages() {
  }

  static ObjectNode message(String msg) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.putNull("loc");
    body.put("msg", msg);
    body.putNull("type");
    return body;
  }
}
