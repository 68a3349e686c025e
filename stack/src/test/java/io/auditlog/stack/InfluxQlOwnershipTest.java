package io.auditlog.stack;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.auditlog.store.InfluxQl;
import io.auditlog.store.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may write InfluxQL. Statement text enters only through {@link InfluxQl#sql(String)}, which takes constant
 * text; every value is bound by the other factories of {@link InfluxQl}. These rules keep it that way over the
 * classes of every service: only the store module writes statement text, and nothing constructs a {@link Statement}
 * except the builder.
 */
class InfluxQlOwnershipTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importEveryModule() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.auditlog");
  }

  @Test
  void onlyTheStoreModuleWritesStatementText() {
    noClasses().that().resideOutsideOfPackage("io.auditlog.store..")
        .should().callMethod(InfluxQl.class, "sql", String.class)
        .because("statement text is constant text written where the store's shape is owned")
        .check(classes);
  }

  @Test
  void statementsComeOnlyFromTheBuilder() {
    noClasses().that().doNotHaveFullyQualifiedName(InfluxQl.class.getName())
        .should().callConstructor(Statement.class, String.class,
            com.fasterxml.jackson.databind.node.ObjectNode.class, int.class)
        .check(classes);
  }

  @Test
  void noServiceSplicesTextIntoInfluxQlByHand() {
    noClasses().should().dependOnClassesThat().haveFullyQualifiedName("io.auditlog.model.InfluxQl")
        .because("the old escaping functions put values into statement text; values are bound now")
        .allowEmptyShould(true)
        .check(classes);
  }
}
