package dev.archivist.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs a test class against a real Kubernetes API server (see {@link TestCluster} for which one):
 * one server per JVM, a fresh {@link TestNamespace} for each test method that asks for one.
 *
 * <pre>
 * &#64;ExtendWith(KubeExtension.class)
 * class MyTest {
 *   &#64;Test void works(TestNamespace ns) {
 *     ns.admin().configMaps().inNamespace(ns.name()).resource(...).create();
 *   }
 * }
 * </pre>
 *
 * <p>Injects {@link TestCluster} (anywhere, including {@code @BeforeAll}) and
 * {@link TestNamespace} ({@code @BeforeEach} and test methods: one namespace per test method,
 * shared between them and removed after it).
 *
 * <p>With no server to be had the class is disabled with the reason, so surefire prints it as
 * skipped; with {@code ARCHIVIST_TEST_KUBE_REQUIRED=true} (CI) it fails instead.
 */
public final class KubeExtension implements ExecutionCondition, BeforeAllCallback,
    ParameterResolver {
  private static final Namespace STORE = Namespace.create(KubeExtension.class);

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String reason = KubeServers.unavailableReason();
    if (reason == null) {
      return ConditionEvaluationResult.enabled("real API server available");
    }
    if (KubeServers.required()) {
      return ConditionEvaluationResult.enabled(KubeServers.REQUIRED_ENV
          + "=true: failing rather than skipping: " + reason);
    }
    return ConditionEvaluationResult.disabled(reason);
  }

  /** Starts the server before the class, so a server that cannot start fails the class. */
  @Override
  public void beforeAll(ExtensionContext context) {
    KubeServers.get();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext,
      ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == TestCluster.class || type == TestNamespace.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext,
      ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    if (type == TestCluster.class) {
      return KubeServers.get();
    }
    if (extensionContext.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException("a TestNamespace belongs to one test method: inject"
          + " it into @BeforeEach or the test method, not " + extensionContext.getDisplayName());
    }
    // The method's store closes the namespace (an AutoCloseable) when the test method ends.
    return extensionContext.getStore(STORE).getOrComputeIfAbsent(TestNamespace.class,
        k -> new TestNamespace(KubeServers.get(), TestNamespace.newName(
            extensionContext.getRequiredTestClass().getSimpleName(),
            extensionContext.getRequiredTestMethod().getName())), TestNamespace.class);
  }
}
