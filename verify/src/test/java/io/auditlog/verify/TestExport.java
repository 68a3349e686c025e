package io.auditlog.verify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/** The §6 lines of an export of a {@link TestLog}, with options for what the service would add. */
final class TestExport {

  private final TestLog log;
  private final long from;
  private final long to;
  private final long size;
  private final Set<Long> redacted = new HashSet<>();
  private final List<Long> erasureProofs = new ArrayList<>();
  private long knownSize = -1;

  TestExport(TestLog log, long from, long to, long size) {
    this.log = log;
    this.from = from;
    this.to = to;
    this.size = size;
  }

  /** Writes these seqs as redacted lines. */
  TestExport redact(long... seqs) {
    for (long seq : seqs) {
      redacted.add(seq);
    }
    return this;
  }

  /** Adds the erasure record at this seq (at or after to_seq) with its inclusion proof. */
  TestExport erasureProof(long seq) {
    erasureProofs.add(seq);
    return this;
  }

  /** Adds the consistency proof from the given size, as {@code known_size} asks for. */
  TestExport knownSize(long knownSize) {
    this.knownSize = knownSize;
    return this;
  }

  List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add(Jcs.canonical(header()));
    for (long seq = from; seq < to; seq++) {
      lines.add(Jcs.canonical(seqLine(seq)));
    }
    for (long seq : erasureProofs) {
      Map<String, Object> line = recordLine("erasure_proof", seq);
      line.put("hashes", base64(Proofs.inclusion(seq, size, log.tree())));
      lines.add(Jcs.canonical(line));
    }
    lines.add(Jcs.canonical(Map.of("type", "end", "count", to - from)));
    return lines;
  }

  byte[] bytes() {
    return join(lines());
  }

  byte[] gzip() {
    return gzip(bytes());
  }

  /** The bytes as one gzip member. */
  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] join(List<String> lines) {
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private Map<String, Object> header() {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("type", "header");
    header.put("format", "audit-export/v1");
    header.put("origin", TestLog.ORIGIN);
    header.put("tree_size", size);
    header.put("from_seq", from);
    header.put("to_seq", to);
    header.put("checkpoint", log.note(size));
    header.put("left", base64(CompactRange.of(0, from, log.tree())));
    header.put("right", base64(CompactRange.of(to, size, log.tree())));
    if (knownSize >= 0 && knownSize != size) {
      long low = Math.min(knownSize, size);
      long high = Math.max(knownSize, size);
      header.put("consistency", Map.of("from", low, "to", high,
          "hashes", base64(Proofs.consistency(low, high, log.tree()))));
    }
    return header;
  }

  private Map<String, Object> seqLine(long seq) {
    TestLog.Leaf leaf = log.leaf(seq);
    if (redacted.contains(seq)) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("type", "redacted");
      line.put("seq", seq);
      line.put("entry", PaddedBase64.encode(leaf.entry().bytes()));
      return line;
    }
    if (leaf.kind() == LeafEntry.Kind.ERASURE) {
      return recordLine("erasure", seq);
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "event");
    line.put("seq", seq);
    line.put("salt", PaddedBase64.encode(leaf.salt()));
    line.put("event", leaf.document());
    return line;
  }

  private Map<String, Object> recordLine(String type, long seq) {
    TestLog.Leaf leaf = log.leaf(seq);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", type);
    line.put("seq", seq);
    line.put("salt", PaddedBase64.encode(leaf.salt()));
    line.put("record", leaf.document());
    return line;
  }

  private static List<String> base64(List<byte[]> hashes) {
    return hashes.stream().map(PaddedBase64::encode).toList();
  }
}
