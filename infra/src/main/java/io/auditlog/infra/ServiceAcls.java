package io.auditlog.infra;

import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs of the services' principals, least privilege: the gateway writes the events topic, and for its ingestion
 * health describes the workers' group (members, committed offsets) and the events and ingress topics (offsets and
 * offsets by time) without reading a record; the ingest worker reads the events and ingress
 * topics in its consumer group and writes the dead-letter topic. Nothing else (topics are created by the operator's
 * credential, direct producers get their own principals from the gateway).
 */
public final class ServiceAcls {

  private ServiceAcls() {
  }

  public static List<AclBinding> gateway(String user, String eventsTopic, String ingressTopic, String workerGroup) {
    return List.of(
        allow(user, ResourceType.TOPIC, eventsTopic, AclOperation.WRITE),
        allow(user, ResourceType.TOPIC, eventsTopic, AclOperation.DESCRIBE),
        allow(user, ResourceType.TOPIC, ingressTopic, AclOperation.DESCRIBE),
        allow(user, ResourceType.GROUP, workerGroup, AclOperation.DESCRIBE));
  }

  public static List<AclBinding> worker(String user, String eventsTopic, String ingressTopic, String deadLetterTopic,
      String group) {
    return List.of(
        allow(user, ResourceType.TOPIC, eventsTopic, AclOperation.READ),
        allow(user, ResourceType.TOPIC, ingressTopic, AclOperation.READ),
        allow(user, ResourceType.GROUP, group, AclOperation.READ),
        allow(user, ResourceType.TOPIC, deadLetterTopic, AclOperation.WRITE),
        allow(user, ResourceType.TOPIC, deadLetterTopic, AclOperation.DESCRIBE));
  }

  static AclBinding allow(String user, ResourceType type, String name, AclOperation operation) {
    return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
        new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
  }
}
