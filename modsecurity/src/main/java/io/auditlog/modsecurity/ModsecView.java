package io.auditlog.modsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** Read-only access to a stored event's ModSecurity data: the values of the filter variables. */
public final class ModsecView {
  public static Optional<ModsecView> of(JsonNode eventJson) {
    throw new UnsupportedOperationException();
  }

  public List<String> values(String variable, Optional<String> member) {
    throw new UnsupportedOperationException();
  }
}
