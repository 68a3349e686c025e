package io.auditlog.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One client, one key: however its address is written, and whichever address of its IPv6 network it takes. */
class ClientAddressTest {

  @ParameterizedTest
  @CsvSource({
      "127.0.0.1,                               127.0.0.1",
      "203.0.113.9,                             203.0.113.9",
      "::ffff:203.0.113.9,                      203.0.113.9",
      "0:0:0:0:0:ffff:cb00:7109,                203.0.113.9",
      "2001:db8:1:2::1,                         2001:db8:1:2::/64",
      "2001:db8:1:2:ffff:ffff:ffff:ffff,        2001:db8:1:2::/64",
      "2001:0db8:0001:0002:0000:0000:0000:0063, 2001:db8:1:2::/64",
      "2001:DB8:1:2::abcd%7,                    2001:db8:1:2::/64",
      "2001:db8:1:3::1,                         2001:db8:1:3::/64",
      "::1,                                     0:0:0:0::/64",
      "not-an-address,                          not-an-address"})
  void addressesOfOneClientShareAKey(String address, String key) {
    assertThat(ClientAddress.bucket(address)).isEqualTo(key);
  }
}
