package dev.archivist.store;

import dev.archivist.core.LabelSelector;
import dev.archivist.core.Operator;
import dev.archivist.core.Requirement;
import java.util.List;

/**
 * Turns a label selector into SQL over Argo's labels table: one correlated {@code EXISTS} (or
 * {@code NOT EXISTS}) per requirement, each a primary-key probe on
 * {@code (clustername, uid, name)}. Negative operators are {@code NOT EXISTS}, which gives
 * Kubernetes' semantics: {@code a!=b} and {@code a notin (...)} also hold when {@code a} is absent.
 * Keys and values are parameters.
 */
final class SelectorSql {

  private SelectorSql() {}

  /** Appends {@code AND <condition>} for every requirement; {@code alias} is the workflow row. */
  static void appendConditions(Sql sql, Dialect dialect, LabelSelector selector, String alias) {
    for (Requirement r : selector.requirements()) {
      sql.append(" AND ");
      append(sql, dialect, r, alias);
    }
  }

  private static void append(Sql sql, Dialect dialect, Requirement r, String alias) {
    List<String> values = r.values();
    boolean positive = switch (r.operator()) {
      case DOES_NOT_EXIST, NOT_EQUALS, NOT_IN -> false;
      case EXISTS, EQUALS, IN, GREATER_THAN, LESS_THAN -> true;
    };
    boolean isIn = r.operator() == Operator.IN || r.operator() == Operator.NOT_IN;
    if (isIn && values.isEmpty()) {
      // in () matches nothing, and so notin () everything.
      sql.append(positive ? "1 = 0" : "1 = 1");
      return;
    }
    exists(sql, positive, alias, r.key());
    switch (r.operator()) {
      case EXISTS, DOES_NOT_EXIST -> sql.append(")");
      case EQUALS, NOT_EQUALS -> sql.append(" AND l.value = ?)", single(r));
      case IN, NOT_IN -> sql.append(" AND l.value IN (" + Sql.placeholders(values.size()) + "))",
          values.toArray());
      case GREATER_THAN -> sql.append(" AND " + dialect.integerValue("l.value") + " > ?)",
          integer(r));
      case LESS_THAN -> sql.append(" AND " + dialect.integerValue("l.value") + " < ?)",
          integer(r));
      default -> throw new AssertionError(r.operator());
    }
  }

  private static void exists(Sql sql, boolean positive, String alias, String key) {
    sql.append((positive ? "EXISTS" : "NOT EXISTS") + " (SELECT 1 FROM " + ArchiveSchema.LABELS
        + " l WHERE l.clustername = " + alias + ".clustername AND l.uid = " + alias
        + ".uid AND l.name = ?", key);
  }

  private static String single(Requirement r) {
    if (r.values().size() != 1) {
      throw new IllegalArgumentException("label requirement " + r + " needs exactly one value");
    }
    return r.values().get(0);
  }

  private static Long integer(Requirement r) {
    String v = single(r);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("label requirement " + r.key() + " " + r.operator()
          + " needs an integer, got '" + v + "'");
    }
  }
}
