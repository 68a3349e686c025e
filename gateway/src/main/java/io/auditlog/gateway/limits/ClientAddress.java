package io.auditlog.gateway.limits;

import io.vertx.core.http.HttpServerRequest;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The client a request counts against in per-address limits: the peer of the TCP connection, never a header such
 * as {@code X-Forwarded-For} or {@code Forwarded}, which the client writes itself (the gateway's router trusts no
 * forwarding headers). An IPv4 address counts as itself, also when it arrives IPv4-mapped on an IPv6 socket; an IPv6
 * address counts as its /64 network, since one subscriber is routinely given a whole /64 and could otherwise take a
 * fresh address for every attempt.
 */
public final class ClientAddress {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private ClientAddress() {
  }

  public static String of(HttpServerRequest request) {
    return bucket(request.remoteAddress().hostAddress());
  }

  /** The key of a textual IP address: itself for IPv4, {@code <first four groups>::/64} for IPv6. */
  static String bucket(String hostAddress) {
    if (!hostAddress.contains(":") && !IPV4.matcher(hostAddress).matches()) {
      return hostAddress;
    }
    InetAddress address;
    try {
      // An IP literal: parsed, never looked up.
      address = InetAddress.getByName(hostAddress);
    } catch (UnknownHostException e) {
      return hostAddress;
    }
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] bytes = address.getAddress();
    StringBuilder network = new StringBuilder();
    for (int group = 0; group < 4; group++) {
      network.append(Integer.toHexString((bytes[2 * group] & 0xff) << 8 | bytes[2 * group + 1] & 0xff)).append(':');
    }
    return network.append(":/64").toString();
  }
}
