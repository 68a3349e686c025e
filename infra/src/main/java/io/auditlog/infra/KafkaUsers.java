package io.auditlog.infra;

import io.auditlog.model.KafkaLogin;

/**
 * The broker's own SCRAM users and their passwords: the node (controller and inter-broker traffic), the operator
 * (super user for topics, users and ACLs), and one principal per service. The node and the operator are created when
 * the storage is formatted; the services' users by {@link KafkaProvisioning}.
 */
public record KafkaUsers(String nodePassword, String operatorPassword, String gatewayPassword,
    String workerPassword) {

  public static final String NODE = "auditlog-node";
  public static final String OPERATOR = "auditlog-operator";
  public static final String GATEWAY = "auditlog-gateway";
  public static final String WORKER = "auditlog-ingest";

  /** Fresh random passwords (URL-safe base64: nothing a JAAS line or the format tool's syntax must escape). */
  public static KafkaUsers generate() {
    return new KafkaUsers(Secrets.generate(), Secrets.generate(), Secrets.generate(), Secrets.generate());
  }

  public KafkaLogin node() {
    return KafkaLogin.scram(NODE, nodePassword);
  }

  public KafkaLogin operator() {
    return KafkaLogin.scram(OPERATOR, operatorPassword);
  }

  public KafkaLogin gateway() {
    return KafkaLogin.scram(GATEWAY, gatewayPassword);
  }

  public KafkaLogin worker() {
    return KafkaLogin.scram(WORKER, workerPassword);
  }

  @Override
  public String toString() {
    return "KafkaUsers[" + NODE + ", " + OPERATOR + ", " + GATEWAY + ", " + WORKER + "]";
  }
}
