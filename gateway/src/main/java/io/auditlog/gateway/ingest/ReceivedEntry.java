package io.auditlog.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.ApiException;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.EventValidator;
import io.auditlog.model.Json;
import io.auditlog.model.FieldError;
import io.auditlog.modsecurity.Entry;
import io.auditlog.modsecurity.EntryRejected;
import io.auditlog.modsecurity.EventMapper;
import io.auditlog.modsecurity.MappingOptions;
import io.auditlog.modsecurity.Source;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A ModSecurity entry made into its event, with what recognises a resend: its unique id and the SHA-256 of its A line,
 * and the size of the event as compact JSON. Keeps nothing else of the entry, so that entries waiting to be published
 * hold their events only, not their sections. Built on a worker thread. Also the receiver's answers to an entry that
 * can never be accepted (409, with a message that names the cause): among them a unique id with control characters
 * ({@code invalid_unique_id}: no sensor writes one, and the key that recognises a resend could not hold it) and an
 * event that breaks the event rules because of what the entry holds ({@code invalid_entry}; the sensor name and the
 * parameters are checked before, as a 422).
 */
record ReceivedEntry(String uniqueId, AuditEvent event, String aLineHash, int eventBytes) {

  private static final EventValidator VALIDATOR = new EventValidator();
  private static final Pattern FIELD_NAME = Pattern.compile("[a-z_]{1,40}");
  private static final Map<String, String> CAUSES = Map.of(
      "missing_a", "Entry has no A section.",
      "missing_z", "Entry has no Z section.",
      "missing_unique_id", "Entry has no unique id.",
      "two_entries", "Upload holds more than one entry.",
      "unknown_format", "Entry is in no known format.",
      "entry_too_large", "Entry is too large.",
      "hash_mismatch", "X-Content-Hash does not match the body.",
      "invalid_unique_id", "Entry's unique id holds control characters or lone surrogates.");

  static ReceivedEntry of(Entry entry, Source source, MappingOptions options) {
    if (entry.uniqueId().chars().anyMatch(Character::isISOControl) || !Json.isUnicode(entry.uniqueId())) {
      throw refused("invalid_unique_id", "");
    }
    JsonNode mapped = Json.withoutLoneSurrogates(EventMapper.toEvent(entry, source, options));
    AuditEvent event;
    try {
      event = VALIDATOR.validate(mapped).get(0);
    } catch (ApiException invalid) {
      throw refused("invalid_entry", "Entry makes an event that breaks the rules of "
          + invalid.fieldErrors().stream().findFirst().map(ReceivedEntry::field).orElse("the event") + ".");
    }
    return new ReceivedEntry(entry.uniqueId(), event, hex("SHA-256", entry.aLine().getBytes(StandardCharsets.UTF_8)),
        Json.compactBytes(mapped));
  }

  /**
   * The event field of an error, such as {@code request.user_agent}: the schema's field names only, never a key or
   * value of the entry, since the reason phrase carries it.
   */
  private static String field(FieldError error) {
    return error.loc().stream().filter(String.class::isInstance).map(String.class::cast)
        .filter(name -> !name.equals("body") && FIELD_NAME.matcher(name).matches()).collect(Collectors.joining("."));
  }

  /** The 409 of an entry that can never be accepted. */
  static ApiException refused(String type, String fallback) {
    return ApiException.of(409, type, CAUSES.getOrDefault(type, fallback));
  }

  static ApiException refused(EntryRejected rejected) {
    return refused(rejected.type(), rejected.getMessage());
  }

  /**
   * A 409 {@code hash_mismatch} unless {@code header} is absent or its first {@code md5:} followed by 32 hex digits
   * (mlogc adds stray text after them) is the body's MD5.
   */
  static void checkHash(Optional<String> header, byte[] body) {
    if (header.isEmpty()) {
      return;
    }
    String value = header.get();
    int at = value.indexOf("md5:");
    String expected = at < 0 || value.length() < at + 36 ? "" : value.substring(at + 4, at + 36);
    if (!expected.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f') || expected.isEmpty()
        || !expected.equals(hex("MD5", body))) {
      throw refused("hash_mismatch", "");
    }
  }

  private static String hex(String algorithm, byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every JVM", e);
    }
  }
}
