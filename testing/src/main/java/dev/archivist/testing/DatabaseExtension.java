package dev.archivist.testing;

import java.sql.SQLException;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The lifecycle both database extensions share: one {@link TestDatabase} per top-level test
 * class, created in {@code beforeAll}, dropped in {@code afterAll}, visible to {@code @Nested}
 * classes through JUnit's store (whose lookups fall back to the enclosing class's store).
 *
 * <p>Test classes run one at a time per JVM here, but nothing in this class relies on it: the
 * state lives in the per-class store, and {@link #database} is only a convenience for a
 * {@code @RegisterExtension static} field, which is per class by construction.
 */
abstract class DatabaseExtension implements ExecutionCondition, BeforeAllCallback,
    AfterAllCallback, ParameterResolver {

  private record Owned(TestDatabase database, String ownerId) {}

  private static final String KEY = "database";

  private final Supplier<DatabaseServer> server;
  private final Supplier<String> unavailableReason;
  private volatile TestDatabase database;

  /**
   * @param server the server to create schemas on; aborts the class (JUnit assumption) when there
   *     is none
   * @param unavailableReason why there is no server, or null when there is (or may be) one
   */
  DatabaseExtension(Supplier<DatabaseServer> server, Supplier<String> unavailableReason) {
    this.server = server;
    this.unavailableReason = unavailableReason;
  }

  /**
   * Disables the class, with the reason, when there is no server. A condition rather than an
   * aborted {@code beforeAll}, because surefire prints a disabled class as skipped with its
   * reason, and silently counts zero tests for an aborted one.
   */
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String reason = unavailableReason.get();
    return reason == null ? ConditionEvaluationResult.enabled("database available")
        : ConditionEvaluationResult.disabled(reason);
  }

  private Namespace namespace() {
    return Namespace.create(getClass());
  }

  /**
   * The database of the test class this extension is registered on, for a
   * {@code @RegisterExtension static} field.
   *
   * @throws IllegalStateException before the class's {@code beforeAll}
   */
  public TestDatabase database() {
    TestDatabase db = database;
    if (db == null) {
      throw new IllegalStateException(getClass().getSimpleName() + ".database() is only"
          + " available once beforeAll ran: register the extension on a static field, or inject"
          + " TestDatabase as a parameter");
    }
    return db;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws SQLException {
    ExtensionContext.Store store = context.getStore(namespace());
    if (store.get(KEY, Owned.class) != null) {
      return; // a @Nested class shares its enclosing class's database
    }
    String name = SchemaNames.newName(context.getRequiredTestClass(),
        System.currentTimeMillis() / 1000);
    TestDatabase db = server.get().create(name);
    store.put(KEY, new Owned(db, context.getUniqueId()));
    database = db;
  }

  @Override
  public void afterAll(ExtensionContext context) throws SQLException {
    Owned owned = context.getStore(namespace()).get(KEY, Owned.class);
    if (owned == null || !owned.ownerId().equals(context.getUniqueId())) {
      return;
    }
    context.getStore(namespace()).remove(KEY);
    database = null;
    server.get().drop(owned.database());
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext,
      ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == TestDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext,
      ExtensionContext extensionContext) {
    Owned owned = extensionContext.getStore(namespace()).get(KEY, Owned.class);
    if (owned == null) {
      throw new ParameterResolutionException("no " + getClass().getSimpleName() + " database yet:"
          + " TestDatabase can be injected into @BeforeAll/@BeforeEach/test methods and (with the"
          + " default per-method lifecycle) constructors");
    }
    return owned.database();
  }
}
