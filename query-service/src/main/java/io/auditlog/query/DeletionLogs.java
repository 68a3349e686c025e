package io.auditlog.query;

import io.auditlog.store.read.DeletionLog;
import io.auditlog.web.InternalTokens;

/** What one delete request records before it removes points: who asked, with which filter, under which view. */
@FunctionalInterface
interface DeletionLogs {
  DeletionLog of(InternalTokens.Identity caller, String filter, String requestId);
}
