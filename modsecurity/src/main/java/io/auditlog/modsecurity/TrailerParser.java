package io.auditlog.modsecurity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads an H section: messages ({@code Message: } in v2, {@code ModSecurity: } in v3) and the known lines. */
final class TrailerParser {
  static final int MAX_LINE_BYTES = 16 * 1024;
  /** The items read, each as its line starts: the name and the {@code ": "} after it. */
  private static final List<String> KNOWN = List.of("Message: ", "ModSecurity: ", "Action: ", "Stopwatch: ",
      "Stopwatch2: ", "Producer: ", "Engine-Mode: ", "Sensor-Id: ", "WebApp-Info: ");

  private TrailerParser() {
  }

  /**
   * Reads the lines that name a known item ({@code Message: }, {@code Action: }, …), each up to
   * {@value #MAX_LINE_BYTES} bytes, and passes over the others without decoding them.
   */
  static Trailer parse(byte[] section, int maxMessages) {
    MessageList messages = new MessageList(maxMessages);
    boolean intercepted = false;
    Optional<Integer> phase = Optional.empty();
    OptionalLong duration = OptionalLong.empty();
    OptionalLong combined = OptionalLong.empty();
    Optional<String> producer = Optional.empty();
    Optional<String> engineMode = Optional.empty();
    Optional<String> sensorId = Optional.empty();
    List<String> webApp = List.of();
    ByteLines lines = new ByteLines(section);
    while (lines.next()) {
      if (!known(lines)) {
        continue;
      }
      String line = lines.text(MAX_LINE_BYTES);
      int colon = line.indexOf(": ");
      if (colon <= 0) {
        continue;
      }
      String value = line.substring(colon + 2);
      switch (line.substring(0, colon)) {
        case "Message", "ModSecurity" -> messages.add(MessageParser.parse(value));
        case "Action" -> {
          intercepted |= value.startsWith("Intercepted");
          phase = phase.or(() -> Optional.ofNullable(MessageParser.phase(value)));
        }
        case "Stopwatch" -> duration = number(Text.fields(value, 2), 1);
        case "Stopwatch2" -> combined = combined(value);
        case "Producer" -> producer = Optional.of(value.strip());
        case "Engine-Mode" -> engineMode = Optional.of(Text.unquote(value));
        case "Sensor-Id" -> sensorId = Optional.of(Text.unquote(value));
        case "WebApp-Info" -> webApp = quoted(value);
        default -> {
        }
      }
    }
    return trailer(messages, intercepted, phase, duration, combined, producer, engineMode, sensorId, webApp);
  }

  private static boolean known(ByteLines line) {
    for (String item : KNOWN) {
      if (line.startsWith(item)) {
        return true;
      }
    }
    return false;
  }

  /** Builds the trailer; the interception phase falls back to a disruptive message's phase. */
  static Trailer trailer(MessageList messages, boolean intercepted, Optional<Integer> phase, OptionalLong duration,
      OptionalLong combined, Optional<String> producer, Optional<String> engineMode, Optional<String> sensorId,
      List<String> webApp) {
    List<Message> kept = messages.kept();
    Optional<Message> disruptive = kept.stream().filter(Message::disruptive).findFirst();
    boolean intercepts = intercepted || disruptive.isPresent();
    Optional<Integer> interceptPhase = intercepts
        ? phase.or(() -> disruptive.map(Message::phase)) : Optional.empty();
    return new Trailer(kept, messages.dropped(), intercepts, interceptPhase, duration, combined,
        producer.filter(p -> !p.isEmpty()), engineMode.filter(m -> !m.isEmpty()),
        sensorId.filter(s -> !s.isEmpty()), webAppField(webApp, 0), webAppField(webApp, 1));
  }

  private static Optional<String> webAppField(List<String> webApp, int index) {
    return webApp.size() > index && !webApp.get(index).isEmpty() && !webApp.get(index).equals("-")
        ? Optional.of(webApp.get(index)) : Optional.empty();
  }

  private static OptionalLong combined(String value) {
    int at = value.indexOf("combined=");
    if (at < 0) {
      return OptionalLong.empty();
    }
    int start = at + "combined=".length();
    int end = start;
    while (end < value.length() && Character.isDigit(value.charAt(end))) {
      end++;
    }
    return digits(value.substring(start, end));
  }

  private static OptionalLong number(List<String> fields, int index) {
    return fields.size() > index ? digits(fields.get(index).replace(";", "")) : OptionalLong.empty();
  }

  private static OptionalLong digits(String text) {
    return Text.digits(text, 15) ? OptionalLong.of(Long.parseLong(text)) : OptionalLong.empty();
  }

  /** The double-quoted strings of a line such as {@code "blog" "-" "-"}. */
  static List<String> quoted(String value) {
    List<String> fields = new ArrayList<>();
    int at = value.indexOf('"');
    while (at >= 0) {
      int end = value.indexOf('"', at + 1);
      if (end < 0) {
        break;
      }
      fields.add(value.substring(at + 1, end));
      at = value.indexOf('"', end + 1);
    }
    return fields;
  }
}
