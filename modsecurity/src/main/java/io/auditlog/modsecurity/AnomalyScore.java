package io.auditlog.modsecurity;

import java.util.List;
import java.util.OptionalLong;

/** The highest {@code Total Score: N} or {@code Total Inbound Score: N} in a message whose msg begins "Inbound". */
final class AnomalyScore {
  private static final List<String> MARKERS = List.of("Total Score: ", "Total Inbound Score: ");

  private AnomalyScore() {
  }

  static OptionalLong of(List<Message> messages) {
    OptionalLong best = OptionalLong.empty();
    for (Message message : messages) {
      if (message.msg() == null || !message.msg().startsWith("Inbound")) {
        continue;
      }
      for (String marker : MARKERS) {
        int at = message.msg().indexOf(marker);
        if (at < 0) {
          continue;
        }
        int start = at + marker.length();
        int end = start;
        String msg = message.msg();
        while (end < msg.length() && end - start < 15 && msg.charAt(end) >= '0' && msg.charAt(end) <= '9') {
          end++;
        }
        if (end > start) {
          long score = Long.parseLong(message.msg().substring(start, end));
          best = best.isPresent() && best.getAsLong() >= score ? best : OptionalLong.of(score);
        }
      }
    }
    return best;
  }
}
