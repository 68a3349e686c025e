package io.auditlog.modsecurity;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Maps a parsed entry to the event body, with event.detail.modsecurity. */
public final class EventMapper {
  private EventMapper() {
  }

  public static ObjectNode toEvent(Entry entry, Source source, MappingOptions options) {
    throw new UnsupportedOperationException();
  }
}
