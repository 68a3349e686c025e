package io.auditlog.modsecurity;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an entry's trailer says (the H section, or its JSON equivalent): the messages kept, how many were dropped, the
 * interception, the stopwatch durations in microseconds and the named lines.
 */
record Trailer(List<Message> messages, int messagesDropped, boolean intercepted, Optional<Integer> interceptPhase,
               OptionalLong durationMicros, OptionalLong combinedMicros, Optional<String> producer,
               Optional<String> engineMode, Optional<String> sensorId, Optional<String> webappId,
               Optional<String> sessionId) {
}
