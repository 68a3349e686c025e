package io.auditlog.gateway;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For test classes about rate limits: each test starts with no attempt counted, and none is left for the classes
 * after it (every test of the JVM shares one database and the address 127.0.0.1).
 */
final class FreshAttempts implements BeforeEachCallback, AfterAllCallback {

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    TestGateway.forgetAttempts();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    TestGateway.forgetAttempts();
  }
}
