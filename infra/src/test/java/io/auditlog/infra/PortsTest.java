package io.auditlog.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

  @Test
  void chosenPortsLieBelowTheEphemeralRangeAndCanBeBound() throws IOException {
    int end = Ports.ephemeralStart();
    for (int i = 0; i < 50; i++) {
      int port = Ports.free();
      assertThat(port).isBetween(Ports.LOWEST, end - 1);
      try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(server.getLocalPort()).isEqualTo(port);
      }
    }
  }

  @Test
  void resolvedPortsAreDistinctAndConfiguredOnesKept() {
    int[] ports = Ports.resolve(0, 0, 0, 5432, 0, 0, 0, 0);
    assertThat(ports[3]).isEqualTo(5432);
    assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(ports.length);
  }

  @Test
  void noPortIsHandedOutTwice() {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      assertThat(seen.add(Ports.free())).as("port handed out twice").isTrue();
    }
  }

  @Test
  void aPortHeldByAListenerIsNeverChosen() throws IOException {
    int held = Ports.free();
    try (ServerSocket server = new ServerSocket(held, 1, InetAddress.getLoopbackAddress())) {
      for (int i = 0; i < 200; i++) {
        assertThat(Ports.free()).isNotEqualTo(held);
      }
    }
  }
}
