package io.auditlog.modsecurity;

import java.util.ArrayList;
import java.util.List;

/** Collects messages up to the limit; a disruptive message is always kept, in place of the last kept other one. */
final class MessageList {
  private final int max;
  private final List<Message> kept = new ArrayList<>();
  private int dropped;

  MessageList(int max) {
    this.max = Math.max(1, max);
  }

  void add(Message message) {
    if (kept.size() < max) {
      kept.add(message);
      return;
    }
    dropped++;
    if (message.disruptive()) {
      for (int i = kept.size() - 1; i >= 0; i--) {
        if (!kept.get(i).disruptive()) {
          kept.remove(i);
          kept.add(message);
          return;
        }
      }
    }
  }

  List<Message> kept() {
    return List.copyOf(kept);
  }

  int dropped() {
    return dropped;
  }
}
