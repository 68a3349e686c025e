package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.auditlog.infra.PostgresServer;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.AuditEvent.Action;
import io.auditlog.model.AuditEvent.Actor;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.model.RecordStamper;
import io.auditlog.model.StampedEvent;
import io.auditlog.store.HistoryLeaf;
import io.auditlog.store.InfluxWriter;
import io.auditlog.store.LineProtocol;
import io.auditlog.store.TagShape;
import io.auditlog.store.read.StoredEvents;
import io.auditlog.tlog.PgLogin;
import io.auditlog.tlog.Placement;
import io.auditlog.tlog.Placements;
import io.auditlog.tlog.SequencedEvent;
import io.auditlog.tlog.SequencedRecord;
import io.auditlog.tlog.Sequencer;
import io.auditlog.tlog.TlogSchema;
import io.auditlog.verify.Checkpoint;
import io.auditlog.verify.Jcs;
import io.auditlog.verify.LeafEntry;
import io.auditlog.verify.Proofs;
import io.auditlog.verify.SignedNote;
import io.auditlog.verify.SignerKey;
import io.auditlog.verify.TreeHash;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A tenant whose verifiable history is built as the ingest worker builds it: events stamped with their own salts,
 * placed by the worker's {@link Sequencer} (tree row, tiles, bundles) and written to InfluxDB with their seq and salt;
 * checkpoints signed with a test key and stored as the signer stores them. The leaf hashes are computed here, from
 * the events, independently of what the service stores.
 */
final class HistoryTenant {

  static final String HOST = "audit.example.com";
  private static final byte[] SEED = new byte[32];
  private static final AtomicLong TENANTS = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000 + 1);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Sequencer SEQUENCER = new Sequencer(HOST);
  private static boolean prepared;

  /** One leaf: the stamped event, its seq and salt, and its entry as computed here. */
  record Leaf(StampedEvent event, long seq, String salt, LeafEntry entry) {

    byte[] leafHash() {
      return entry.leafHash();
    }
  }

  final long id;
  final String tenant;
  final String origin;
  final SignerKey key;
  final List<Leaf> leaves = new ArrayList<>();
  private final InfluxWriter writer;
  private long offset;

  private HistoryTenant(long id) {
    this.id = id;
    this.tenant = Long.toString(id);
    this.origin = HOST + "/audit/" + id;
    this.key = SignerKey.fromSeed(origin, SEED);
    this.writer = TestQueryService.provisionedWriter(tenant);
  }

  /** A new tenant with an empty history; the schema and the signing key's row exist once this returns. */
  static synchronized HistoryTenant create() throws SQLException {
    if (!prepared) {
      TlogSchema.migrate(login());
      try (Connection connection = login().connect(); PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO tlog_keys (key_id, purpose, public_key, sealed, active, valid_from) "
              + "VALUES ('test-signing-key', 'ed25519', ?, ?, TRUE, ?) ON CONFLICT DO NOTHING")) {
        insert.setBytes(1, SignerKey.fromSeed(HOST, SEED).publicKey());
        insert.setBytes(2, new byte[] {1, 2, 3});
        insert.setTimestamp(3, Timestamp.from(Instant.parse("2024-01-01T00:00:00Z")));
        insert.executeUpdate();
      }
      prepared = true;
    }
    return new HistoryTenant(TENANTS.incrementAndGet());
  }

  static PgLogin login() {
    PostgresServer postgres = TestQueryService.SERVICES.postgres();
    return new PgLogin(postgres.jdbcUrl(), PostgresServer.USER, postgres.password());
  }

  /** Appends {@code count} events (one record each), stored in InfluxDB with their leaves; returns them. */
  List<Leaf> append(int count) throws Exception {
    return append(count, null);
  }

  /**
   * Appends {@code count} events; with {@code filler}, each of their seven free-text parts (description, the three
   * details, resource id and name, a metadata value) is that text. Returns them.
   */
  List<Leaf> append(int count, String filler) throws Exception {
    return append(count, filler, n -> n % 2 == 0 ? "web" : "auth");
  }

  /** Appends {@code count} events, each in a category of its own ({@code c<n>}, n its place in the tenant). */
  List<Leaf> appendEachInItsOwnCategory(int count) throws Exception {
    return append(count, null, n -> "c" + n);
  }

  private List<Leaf> append(int count, String filler, IntFunction<String> category) throws Exception {
    List<StampedEvent> events = new ArrayList<>();
    List<SequencedRecord> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StampedEvent event = event(leaves.size() + i, filler, category.apply(leaves.size() + i));
      byte[] canonical = canonical(event);
      events.add(event);
      records.add(new SequencedRecord("events", 0, offset++, false, List.of(SequencedEvent.of(event.id(),
          event.timestampNanos(), Base64.getDecoder().decode(event.salt()), canonical))));
    }
    Placements placed;
    try (Connection connection = login().connect()) {
      placed = SEQUENCER.sequence(connection, id, records);
    }
    List<Leaf> added = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StampedEvent event = events.get(i);
      Placement placement = placed.of(records.get(i)).get(0);
      added.add(new Leaf(event, placement.seq(), placement.salt(), LeafEntry.event(UUID.fromString(event.id()),
          event.timestampNanos(), Base64.getDecoder().decode(placement.salt()), canonical(event))));
      lines.addAll(LineProtocol.encodeWithTrail(event, new HistoryLeaf(placement.seq(), placement.salt()),
          TagShape.FOUR_TAGS));
    }
    assertThat(writer.write(InfluxNames.database(tenant), lines)).isEmpty();
    leaves.addAll(added);
    return added;
  }

  /** Signs and stores the checkpoint of the tree's first {@code size} leaves, signed now. */
  String sign(long size) throws SQLException {
    return sign(size, Instant.now());
  }

  /** Signs and stores the checkpoint of the tree's first {@code size} leaves, signed at {@code signedAt}. */
  String sign(long size, Instant signedAt) throws SQLException {
    byte[] root = root(size);
    String note = SignedNote.sign(new Checkpoint(origin, size, root).body(), List.of(key));
    try (Connection connection = login().connect(); PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO tlog_checkpoints (tenant, size, root, note, signed_at) VALUES (?, ?, ?, ?, ?)")) {
      insert.setLong(1, id);
      insert.setLong(2, size);
      insert.setBytes(3, root);
      insert.setString(4, note);
      insert.setTimestamp(5, Timestamp.from(signedAt));
      insert.executeUpdate();
    }
    return note;
  }

  /** The root of the first {@code size} leaves, from the leaf hashes computed here. */
  byte[] root(long size) {
    return Proofs.root(size, this::subtree);
  }

  private byte[] subtree(int level, long index) {
    if (level == 0) {
      return leaves.get((int) index).leafHash();
    }
    return TreeHash.node(subtree(level - 1, 2 * index), subtree(level - 1, 2 * index + 1));
  }

  /** Runs a statement on the history's tables, as an operator would. */
  void sql(String statement, Object... parameters) throws SQLException {
    try (Connection connection = login().connect();
        PreparedStatement prepared = connection.prepareStatement(statement)) {
      for (int i = 0; i < parameters.length; i++) {
        prepared.setObject(i + 1, parameters[i]);
      }
      prepared.executeUpdate();
    }
  }

  /** The committed document of an event: its read shape, canonical. */
  static byte[] canonical(StampedEvent event) {
    return Jcs.canonicalBytes(io.auditlog.verify.Json.parse(Json.toText(StoredEvents.readShape(event))));
  }

  private StampedEvent event(int n, String filler, String category) {
    long millis = System.currentTimeMillis() - 3_600_000L + n;
    Optional<String> text = Optional.ofNullable(filler);
    Optional<ObjectNode> detail = text.map(t -> Json.MAPPER.createObjectNode().put("s", t));
    AuditEvent event = new AuditEvent(category, "shop", "prod", n % 3 == 0 ? "GET" : "POST",
        "200", "info", new Action("login-" + n, "user", 1.5, n, 0.25, 0.1, 64, Optional.of(text.orElse("über " + n)),
            detail),
        new Actor("10.0.0." + (n % 250), detail),
        text.map(t -> new AuditEvent.Resource(Optional.of(t), Optional.of(t), Optional.empty(), detail)),
        text.map(t -> List.of(new AuditEvent.MetadataItem("m", Optional.empty(), TextNode.valueOf(t)))));
    byte[] salt = new byte[LeafEntry.SALT_SIZE];
    RANDOM.nextBytes(salt);
    return new StampedEvent(tenant, RecordStamper.uuid7(millis, tenant + "#" + n).toString(),
        RecordStamper.uuid7(millis, tenant + "/" + n).toString(), millis * 1_000_000L + n % 1000, 1, event,
        Base64.getEncoder().encodeToString(salt));
  }
}
