package io.auditlog.verify;

/** The perfect subtree of 2^level leaves that starts at leaf {@code index << level}. */
record NodeId(int level, long index) {
}
