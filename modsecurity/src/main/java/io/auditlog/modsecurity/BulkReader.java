package io.auditlog.modsecurity;

import java.io.InputStream;
import java.util.Iterator;

/** Reads a serial log, concatenated concurrent files or JSON lines, gzipped or not, as a stream of entries. */
public final class BulkReader implements Iterator<BulkItem>, AutoCloseable {
  public BulkReader(InputStream in, Limits limits) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean hasNext() {
    throw new UnsupportedOperationException();
  }

  @Override
  public BulkItem next() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {
    throw new UnsupportedOperationException();
  }
}
