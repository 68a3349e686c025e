package io.auditlog.web;

import io.vertx.core.http.HttpConnection;

/**
 * Which connections a server keeps: asked as each one opens (one refused is closed at once), told as each kept one
 * closes. One instance may be shared by a service's servers on several event loops.
 */
public interface ConnectionAdmission {

  /** Keeps every connection. */
  ConnectionAdmission ALL = new ConnectionAdmission() {
    @Override
    public boolean admit(HttpConnection connection) {
      return true;
    }

    @Override
    public void closed(HttpConnection connection) {
    }
  };

  boolean admit(HttpConnection connection);

  /** A connection {@link #admit} kept has closed. */
  void closed(HttpConnection connection);
}
