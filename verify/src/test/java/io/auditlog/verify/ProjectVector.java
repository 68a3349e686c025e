package io.auditlog.verify;

/** The project vector of spec §10. */
final class ProjectVector {

  static final String DOCUMENT = "{\"actor\":{\"origin\":\"203.0.113.7\"},\"category\":\"auth\",\"event\":"
      + "{\"affected_resources\":1,\"cpu_usage\":0.25,\"description\":\"Anmeldung über SSO\",\"latency\":3,"
      + "\"memory_usage\":64,\"name\":\"login\",\"stage\":1,\"total_duration\":12.5,\"type\":\"user\"},"
      + "\"event_id\":\"017f22e2-79b0-7cc3-98c4-dc0c0c07398f\",\"id\":\"017f22e2-79b0-7cc4-a1b2-c3d4e5f60718\","
      + "\"level\":\"info\",\"method\":\"POST\",\"source_information\":{\"application\":\"portal\","
      + "\"environment\":\"prod\"},\"status\":\"200\",\"timestamp\":\"2022-02-22T19:22:22.000000007Z\"}";
  static final String COMMITMENT = "858344138f258cf875fc9e6c974b1ac400f7c0c942ed05aa42ba44d76dd56302";
  static final String ENTRY = "0101017f22e279b07cc4a1b2c3d4e5f6071816d6320c3d4dcc07"
      + "858344138f258cf875fc9e6c974b1ac400f7c0c942ed05aa42ba44d76dd56302";
  static final String LEAF = "427a330433089113cb3220b1147fcc88f4519ce257e6b5b267952efc955ba243";
  static final String ORIGIN = "audit.example.com/audit/42";
  static final String VKEY = "audit.example.com/audit/42+56a4b7d6+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4";
  static final String NOTE = "audit.example.com/audit/42\n1\nQnozBDMIkRPLMiCxFH/MiPRRnOJX5rWyZ5Uu/JVbokM=\n\n"
      + "\u2014 audit.example.com/audit/42 "
      + "VqS31qO/JA0Rpm8UXR+AJm57psGxWmvBbxtbus23boLhnvvN+LPM1SfqTIPvT+AIyVS1zQ+Eba4A8xiwjPSBkSkbzA8=\n";

  private ProjectVector() {
  }

  /** The salt 00 01 … 0f. */
  static byte[] salt() {
    return Bytes.counting(16);
  }

  /** The Ed25519 private key 00 01 … 1f. */
  static SignerKey key() {
    return SignerKey.fromSeed(ORIGIN, Bytes.counting(32));
  }
}
