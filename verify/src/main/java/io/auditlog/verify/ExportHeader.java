package io.auditlog.verify;

import java.util.List;
import java.util.Optional;

/**
 * The first line of an export (§6): which tree, which range of it, the signed checkpoint, the compact ranges around
 * the range and, when asked for, a consistency proof.
 */
record ExportHeader(String origin, long treeSize, long fromSeq, long toSeq, String checkpoint, List<byte[]> left,
    List<byte[]> right, Optional<Consistency> consistency) {

  static final String FORMAT = "audit-export/v1";

  /** A consistency proof between two sizes of the tree, from ≤ to. */
  record Consistency(long from, long to, List<byte[]> hashes) {
  }

  static ExportHeader parse(Fields line) {
    if (!"header".equals(line.string("type"))) {
      throw new IllegalArgumentException(line.where() + ": the export does not start with its header");
    }
    if (!FORMAT.equals(line.string("format"))) {
      throw new IllegalArgumentException(line.where() + ": the format is not " + FORMAT + " but "
          + line.string("format"));
    }
    line.requireOnly(LineKeys.of("header"), "the header");
    Optional<Consistency> consistency = Optional.empty();
    if (line.has("consistency")) {
      Fields proof = line.object("consistency");
      proof.requireOnly(LineKeys.CONSISTENCY, "the consistency proof");
      consistency = Optional.of(new Consistency(proof.unsigned("from"), proof.unsigned("to"),
          proof.hashes("hashes")));
    }
    return new ExportHeader(line.string("origin"), line.unsigned("tree_size"), line.unsigned("from_seq"),
        line.unsigned("to_seq"), line.string("checkpoint"), line.hashes("left"), line.hashes("right"), consistency);
  }

  /** The number of seq lines: to_seq − from_seq. */
  long count() {
    return toSeq - fromSeq;
  }
}
