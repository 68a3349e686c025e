package io.auditlog.verify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant's history built the way the service builds it: events and erasure records with salts, appended to a tree
 * of perfect subtrees, checkpoints signed with a test key, and exports written line by line as §6 describes.
 */
final class TestLog {

  static final String ORIGIN = "audit.example.com/audit/7";
  static final long START_NANOS = 1_700_000_000_000_000_000L;
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

  /** One leaf: its document, salt and entry. */
  record Leaf(LeafEntry.Kind kind, Map<String, Object> document, byte[] salt) {

    LeafEntry entry() {
      UUID id = UUID.fromString((String) document.get("id"));
      long timestamp = Rfc3339Nanos.parse((String) document.get("timestamp"));
      return new LeafEntry(kind, id, timestamp, LeafEntry.commitment(salt, Jcs.canonicalBytes(document)));
    }
  }

  private final SignerKey key;
  private final String variant;
  private final List<Leaf> leaves = new ArrayList<>();
  private final MemoryTree tree = new MemoryTree();

  /** A log signed by the given key; the variant makes its documents differ from those of another log. */
  TestLog(SignerKey key, String variant) {
    this.key = key;
    this.variant = variant;
  }

  TestLog(SignerKey key) {
    this(key, "");
  }

  static SignerKey key(int seedByte) {
    byte[] seed = new byte[32];
    java.util.Arrays.fill(seed, (byte) seedByte);
    return SignerKey.fromSeed(ORIGIN, seed);
  }

  SignerKey key() {
    return key;
  }

  long size() {
    return tree.size();
  }

  Leaf leaf(long seq) {
    return leaves.get((int) seq);
  }

  MemoryTree tree() {
    return tree;
  }

  TestLog events(int count) {
    for (int i = 0; i < count; i++) {
      long seq = size();
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("name", "login " + variant + seq);
      event.put("type", "user");
      event.put("stage", 1);
      event.put("total_duration", 12.5 + seq);
      event.put("latency", 3.0);
      event.put("cpu_usage", 0.1);
      event.put("memory_usage", 64);
      event.put("affected_resources", seq);
      event.put("description", "Anmeldung über SSO \"quoted\"\n\ttabbed \ud83d\ude00");
      event.put("detail", Map.of("nested", Map.of("list", List.of(1, 1e21, "x"), "big", 9007199254740992L)));
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("id", id(seq).toString());
      document.put("event_id", id(seq + 1_000_000).toString());
      document.put("timestamp", timestamp(seq));
      document.put("category", "auth");
      document.put("source_information", Map.of("application", "portal", "environment", "prod"));
      document.put("method", "POST");
      document.put("status", "200");
      document.put("level", "info");
      document.put("actor", Map.of("origin", "203.0.113." + seq % 256));
      document.put("event", event);
      document.put("metadata", List.of(Map.of("name", "ratio", "value", 0.1, "is_metric", true)));
      append(LeafEntry.Kind.EVENT, document);
    }
    return this;
  }

  /** An erasure record (reason delete) listing the given seqs. */
  TestLog erasure(long... erasedSeqs) {
    Map<String, Object> record = record("delete");
    List<Object> erased = new ArrayList<>();
    for (long seq : erasedSeqs) {
      erased.add(Map.of("id", leaf(seq).document().get("id"), "seq", seq));
    }
    record.put("filter", "category = \"auth\"");
    record.put("erased", erased);
    append(LeafEntry.Kind.ERASURE, record);
    return this;
  }

  /** A retention record: everything before the given time is removed. */
  TestLog retention(long beforeNanos) {
    Map<String, Object> record = record("retention");
    record.put("before", TIMESTAMP.format(Instant.ofEpochSecond(0, beforeNanos)));
    append(LeafEntry.Kind.ERASURE, record);
    return this;
  }

  /** The note of the checkpoint at the given size, signed by this log's key. */
  String note(long size) {
    return SignedNote.sign(checkpoint(size).body(), List.of(key));
  }

  Checkpoint checkpoint(long size) {
    return new Checkpoint(ORIGIN, size, Proofs.root(size, tree));
  }

  /** An export of [from, to) at the given tree size. */
  TestExport export(long from, long to, long size) {
    return new TestExport(this, from, to, size);
  }

  /** An export of the whole tree. */
  TestExport export() {
    return export(0, size(), size());
  }

  static String timestamp(long seq) {
    return TIMESTAMP.format(Instant.ofEpochSecond(0, START_NANOS + seq * 1000));
  }

  private Map<String, Object> record(String reason) {
    long seq = size();
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("kind", "erasure");
    record.put("id", id(seq).toString());
    record.put("timestamp", timestamp(seq));
    record.put("reason", reason);
    record.put("actor", Map.of("system", reason.equals("retention") ? "retention" : "ingest"));
    record.put("operation", id(seq + 2_000_000).toString());
    record.put("part", 1);
    record.put("parts", 1);
    return record;
  }

  private void append(LeafEntry.Kind kind, Map<String, Object> document) {
    byte[] salt = TreeHash.sha256().digest((variant + "salt " + size()).getBytes(StandardCharsets.UTF_8));
    Leaf leaf = new Leaf(kind, document, java.util.Arrays.copyOf(salt, 16));
    leaves.add(leaf);
    tree.append(leaf.entry().leafHash());
  }

  private UUID id(long n) {
    return UUID.nameUUIDFromBytes((variant + "id " + n).getBytes(StandardCharsets.UTF_8));
  }
}
