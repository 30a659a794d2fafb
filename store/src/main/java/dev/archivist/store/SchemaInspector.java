package dev.archivist.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads what is already in the schema, and compares Argo's tables with step 68 as Argo leaves
 * them: the same columns with compatible types, lengths and nullability, the same primary keys,
 * the cascading foreign key, and Argo's index names. Extra indexes are fine (operators add their
 * own, and so do we); anything else that differs is listed, so that the refusal says exactly what.
 */
final class SchemaInspector {
  static final String FLYWAY_TABLE = "archivist_schema_history";
  static final int ARGO_STEP = 68;

  private SchemaInspector() {}

  /** What {@link #inspect} found. */
  record Findings(Set<String> tables, Integer argoSchemaVersion, List<String> differences) {
    boolean has(String table) {
      return tables.contains(table);
    }

    boolean hasArgoTables() {
      return has(ArchiveSchema.WORKFLOWS) || has(ArchiveSchema.LABELS);
    }
  }

  private record Column(String type, int length, boolean nullable) {}

  static Findings inspect(Connection c, Dialect d) throws SQLException {
    Set<String> tables = new TreeSet<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM"
        + " information_schema.tables WHERE table_schema = " + d.schemaFunction());
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        tables.add(rs.getString(1).toLowerCase(Locale.ROOT));
      }
    }
    Integer version = null;
    if (tables.contains("schema_history")) {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT max(schema_version) FROM schema_history");
          ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          int v = rs.getInt(1);
          version = rs.wasNull() ? null : v;
        }
      }
    }
    List<String> differences = new ArrayList<>();
    if (tables.contains(ArchiveSchema.WORKFLOWS)
        || tables.contains(ArchiveSchema.LABELS)) {
      compare(c, d, tables, differences);
    }
    return new Findings(tables, version, differences);
  }

  private static Map<String, Column> expectedWorkflowColumns(Dialect d) {
    Map<String, Column> m = new LinkedHashMap<>();
    m.put("uid", new Column("varchar", ArchiveSchema.UID_LENGTH, false));
    m.put("name", new Column("varchar", ArchiveSchema.NAME_LENGTH, false));
    m.put("phase", new Column("varchar", ArchiveSchema.PHASE_LENGTH, false));
    m.put("namespace", new Column("varchar", ArchiveSchema.NAMESPACE_LENGTH, false));
    m.put("workflow", new Column("json", 0, false));
    m.put("startedat", new Column("timestamp", 0, false));
    m.put("finishedat", new Column("timestamp", 0, false));
    m.put("clustername", new Column("varchar", ArchiveSchema.SCOPE_LENGTH, false));
    m.put("instanceid", new Column("varchar", ArchiveSchema.SCOPE_LENGTH, false));
    m.put("creationtimestamp", new Column("timestamp", 0, d.creationTimestampNullable()));
    return m;
  }

  private static Map<String, Column> expectedLabelColumns() {
    Map<String, Column> m = new LinkedHashMap<>();
    m.put("clustername", new Column("varchar", ArchiveSchema.SCOPE_LENGTH, false));
    m.put("uid", new Column("varchar", ArchiveSchema.UID_LENGTH, false));
    m.put("name", new Column("varchar", ArchiveSchema.LABEL_KEY_LENGTH, false));
    m.put("value", new Column("varchar", ArchiveSchema.LABEL_VALUE_LENGTH, false));
    return m;
  }

  private static void compare(Connection c, Dialect d, Set<String> tables, List<String> diffs)
      throws SQLException {
    for (String t : List.of(ArchiveSchema.WORKFLOWS, ArchiveSchema.LABELS,
        "schema_history")) {
      if (!tables.contains(t)) {
        diffs.add("table " + t + " is missing");
      }
    }
    if (!diffs.isEmpty()) {
      return;
    }
    compareColumns(c, d, ArchiveSchema.WORKFLOWS, expectedWorkflowColumns(d), diffs);
    compareColumns(c, d, ArchiveSchema.LABELS, expectedLabelColumns(), diffs);
    comparePrimaryKey(c, d, ArchiveSchema.WORKFLOWS, List.of("clustername", "uid"), diffs);
    comparePrimaryKey(c, d, ArchiveSchema.LABELS,
        List.of("clustername", "uid", "name"), diffs);
    compareForeignKey(c, d, diffs);
    Set<String> indexes = indexNames(c, d);
    for (String i : List.of("argo_archived_workflows_i1", "argo_archived_workflows_i2",
        "argo_archived_workflows_i3", "argo_archived_workflows_i4", "argo_archived_workflows_i5",
        "argo_archived_workflows_labels_i1")) {
      if (!indexes.contains(i)) {
        diffs.add("index " + i + " is missing");
      }
    }
  }

  private static void compareColumns(Connection c, Dialect d, String table,
      Map<String, Column> expected, List<String> diffs) throws SQLException {
    Map<String, Column> actual = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type,"
        + " character_maximum_length, is_nullable FROM information_schema.columns"
        + " WHERE table_schema = " + d.schemaFunction() + " AND table_name = ?")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long len = rs.getLong(3);
          actual.put(rs.getString(1).toLowerCase(Locale.ROOT), new Column(
              normalizeType(rs.getString(2)), rs.wasNull() ? 0 : (int) len,
              "YES".equalsIgnoreCase(rs.getString(4))));
        }
      }
    }
    for (Map.Entry<String, Column> e : expected.entrySet()) {
      Column a = actual.get(e.getKey());
      Column x = e.getValue();
      if (a == null) {
        diffs.add(table + "." + e.getKey() + " is missing");
      } else if (!a.type().equals(x.type())
          || (a.length() != x.length() && !x.type().equals("json"))
          || a.nullable() != x.nullable()) {
        diffs.add(table + "." + e.getKey() + " is " + describe(a) + ", expected " + describe(x));
      }
    }
    for (String name : actual.keySet()) {
      if (!expected.containsKey(name)) {
        diffs.add(table + "." + name + " is not a column of Argo's step-" + ARGO_STEP
            + " schema");
      }
    }
  }

  /** Folds each database's spelling of a type into one word. */
  private static String normalizeType(String type) {
    String t = type.toLowerCase(Locale.ROOT);
    switch (t) {
      case "character varying":
        return "varchar";
      case "jsonb": // PostgreSQL, since step 64
      case "json": // MySQL
      case "longtext": // MariaDB's JSON is an alias of LONGTEXT with a json_valid check
        return "json";
      case "timestamp without time zone":
        return "timestamp";
      default:
        return t;
    }
  }

  private static String describe(Column c) {
    return c.type() + (c.length() > 0 && !c.type().equals("json") ? "(" + c.length() + ")" : "")
        + (c.nullable() ? " null" : " not null");
  }

  private static void comparePrimaryKey(Connection c, Dialect d, String table,
      List<String> expected, List<String> diffs) throws SQLException {
    List<String> actual = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT k.column_name FROM"
        + " information_schema.table_constraints t JOIN information_schema.key_column_usage k"
        + " ON k.constraint_name = t.constraint_name AND k.table_schema = t.table_schema"
        + " AND k.table_name = t.table_name WHERE t.constraint_type = 'PRIMARY KEY'"
        + " AND t.table_schema = " + d.schemaFunction() + " AND t.table_name = ?"
        + " ORDER BY k.ordinal_position")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          actual.add(rs.getString(1).toLowerCase(Locale.ROOT));
        }
      }
    }
    if (!actual.equals(expected)) {
      diffs.add(table + " has primary key " + actual + ", expected " + expected);
    }
  }

  private static void compareForeignKey(Connection c, Dialect d, List<String> diffs)
      throws SQLException {
    boolean cascading = false;
    try (PreparedStatement ps = c.prepareStatement("SELECT r.delete_rule FROM"
        + " information_schema.referential_constraints r JOIN"
        + " information_schema.table_constraints t ON t.constraint_name = r.constraint_name"
        + " AND t.constraint_schema = r.constraint_schema WHERE t.constraint_type = 'FOREIGN KEY'"
        + " AND t.table_schema = " + d.schemaFunction()
        + " AND t.table_name = 'argo_archived_workflows_labels'")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cascading |= "CASCADE".equalsIgnoreCase(rs.getString(1));
        }
      }
    }
    if (!cascading) {
      diffs.add("argo_archived_workflows_labels has no foreign key to argo_archived_workflows"
          + " with ON DELETE CASCADE");
    }
  }

  private static Set<String> indexNames(Connection c, Dialect d) throws SQLException {
    Set<String> names = new TreeSet<>();
    try (PreparedStatement ps = c.prepareStatement(d.indexNamesSql());
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        names.add(rs.getString(1).toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }
}
