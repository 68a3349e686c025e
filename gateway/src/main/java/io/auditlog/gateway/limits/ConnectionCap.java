package io.auditlog.gateway.limits;

import io.auditlog.web.ConnectionAdmission;
import io.vertx.core.http.HttpConnection;
import java.util.HashMap;
import java.util.Map;

/**
 * The client connections the gateway keeps open at once, in all and per client address (counted as
 * {@link ClientAddress} counts requests), shared by its event loops; one past either is closed as it opens. The total
 * stays well below the process's open-file limit, so that the gateway always has descriptors for its own connections
 * to Kafka, PostgreSQL, InfluxDB and the query-service: 21,000 idle connections from three addresses, reopened as they
 * were closed, once took all 20,000 of them, and most requests of other clients went unanswered.
 */
public final class ConnectionCap implements ConnectionAdmission {

  private final int total;
  private final int perAddress;
  private final Map<String, Integer> byAddress = new HashMap<>();
  private int open;

  public ConnectionCap(int total, int perAddress) {
    this.total = total;
    this.perAddress = perAddress;
  }

  @Override
  public synchronized boolean admit(HttpConnection connection) {
    String address = address(connection);
    int mine = byAddress.getOrDefault(address, 0);
    if (open >= total || mine >= perAddress) {
      return false;
    }
    open++;
    byAddress.put(address, mine + 1);
    return true;
  }

  @Override
  public synchronized void closed(HttpConnection connection) {
    String address = address(connection);
    open--;
    int left = byAddress.getOrDefault(address, 0) - 1;
    if (left > 0) {
      byAddress.put(address, left);
    } else {
      byAddress.remove(address);
    }
  }

  private static String address(HttpConnection connection) {
    return connection.remoteAddress() == null ? "" : ClientAddress.bucket(connection.remoteAddress().hostAddress());
  }
}
