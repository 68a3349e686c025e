package io.auditlog.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Free loopback ports, and waiting for a port to accept connections. */
public final class Ports {

  private Ports() {
  }

  /** A port that was free on 127.0.0.1 a moment ago. */
  public static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The configured port, or a free one when {@code configured} is 0. */
  public static int orFree(int configured) {
    return configured == 0 ? free() : configured;
  }

  /**
   * Resolves several ports at once: each 0 becomes a free port, all of them distinct (the probe sockets stay open
   * until every port is chosen, so the system cannot hand out one port twice).
   */
  public static int[] resolve(int... configured) {
    int[] ports = new int[configured.length];
    List<ServerSocket> probes = new ArrayList<>();
    try {
      for (int i = 0; i < configured.length; i++) {
        if (configured[i] != 0) {
          ports[i] = configured[i];
          continue;
        }
        ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        probes.add(probe);
        ports[i] = probe.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket probe : probes) {
        try {
          probe.close();
        } catch (IOException ignored) {
          // the port is released either way
        }
      }
    }
  }

  public static boolean isOpen(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
