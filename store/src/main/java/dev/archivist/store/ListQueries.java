package dev.archivist.store;

import java.util.Set;

/**
 * The SQL of {@link ArchiveStore#list}: an inner query finds one page of rows in (startedat desc,
 * uid desc) order using the indexes and the label subqueries, and only the rows on that page have
 * small JSON fragments (labels, annotations, arguments, suspend, progress, message, estimated and
 * resources duration) pulled out of the stored workflow. The whole JSON never leaves the database,
 * and it is only read for the rows on the page, also when the page needs a sort of every matching
 * row. How the inner query hands the page on depends on the database ({@link
 * Dialect#readsPageInOnePass}): on PostgreSQL it carries the rows themselves (the JSON column as a
 * reference to its stored value), on MySQL/MariaDB only their keys, and they are joined back.
 */
final class ListQueries {

  private ListQueries() {}

  /** Escapes LIKE wildcards with {@code !}, so that a name is matched as data. */
  static String likeEscape(String s) {
    return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  /**
   * @param fetch how many rows to fetch (the page size plus one, to learn whether there is more)
   */
  static Sql page(Dialect d, String clusterName, String instanceId, ListQuery q,
      ContinueToken token, int fetch) {
    boolean onePass = d.readsPageInOnePass();
    // The page's row: the inner query's own ("k"), or the row joined back by its key ("w").
    String r = onePass ? "k" : "w";
    Sql sql = new Sql();
    sql.append("SELECT " + r + ".uid, " + r + ".name, " + r + ".namespace, " + r + ".phase, "
        + r + ".startedat, " + r + ".finishedat, " + r + ".creationtimestamp, "
        + d.jsonPath(r + ".workflow", "metadata", "labels") + ", "
        + d.jsonPath(r + ".workflow", "metadata", "annotations") + ", "
        + d.jsonPath(r + ".workflow", "spec", "arguments") + ", "
        + d.jsonPath(r + ".workflow", "status", "progress") + ", "
        + d.jsonPath(r + ".workflow", "status", "message") + ", "
        + d.jsonPath(r + ".workflow", "spec", "suspend") + ", "
        + d.jsonPath(r + ".workflow", "status", "estimatedDuration") + ", "
        + d.jsonPath(r + ".workflow", "status", "resourcesDuration")
        + " FROM (SELECT " + (onePass ? "a.uid, a.name, a.namespace, a.phase, a.startedat,"
            + " a.finishedat, a.creationtimestamp, a.workflow" : "a.clustername, a.uid")
        + " FROM " + ArchiveSchema.WORKFLOWS + " a WHERE ");
    filters(sql, d, clusterName, instanceId, q);
    if (token instanceof ContinueToken.Keyset k) {
      sql.append(" AND " + d.keysetCondition("a"));
      if (d.keysetParameterCount() == 2) {
        sql.append("", k.startedAt(), k.uid());
      } else {
        sql.append("", k.startedAt(), k.startedAt(), k.uid());
      }
    }
    sql.append(" ORDER BY a.startedat DESC, a.uid DESC LIMIT ?", fetch);
    if (token instanceof ContinueToken.Offset o && o.offset() > 0) {
      sql.append(" OFFSET ?", o.offset());
    }
    sql.append(") k");
    if (!onePass) {
      sql.append(" JOIN " + ArchiveSchema.WORKFLOWS
          + " w ON w.clustername = k.clustername AND w.uid = k.uid");
    }
    // On PostgreSQL the inner query's order, which it keeps without sorting again.
    sql.append(" ORDER BY " + r + ".startedat DESC, " + r + ".uid DESC");
    return sql;
  }

  /**
   * {@code AND alias.namespace IN (...)}, or a condition that is never true for an empty set:
   * an empty {@code IN ()} is not valid SQL.
   */
  static void inNamespaces(Sql sql, String alias, Set<String> namespaces) {
    if (namespaces.isEmpty()) {
      sql.append(" AND 1 = 0");
      return;
    }
    sql.append(" AND " + alias + ".namespace IN (" + Sql.placeholders(namespaces.size()) + ")",
        namespaces.toArray());
  }

  /** The WHERE conditions of a list (without the cursor), on alias {@code a}. */
  static void filters(Sql sql, Dialect d, String clusterName, String instanceId, ListQuery q) {
    sql.append("a.clustername = ? AND a.instanceid = ?", clusterName, instanceId);
    if (q.namespace() != null && !q.namespace().isEmpty()) {
      sql.append(" AND a.namespace = ?", q.namespace());
    }
    if (q.namespaces() != null) {
      inNamespaces(sql, "a", q.namespaces());
    }
    if (q.name() != null && !q.name().isEmpty()) {
      switch (q.nameFilter()) {
        case EXACT:
          sql.append(" AND a.name = ?", q.name());
          break;
        case PREFIX:
          sql.append(" AND a.name LIKE ? ESCAPE '!'", likeEscape(q.name()) + "%");
          break;
        case CONTAINS:
          sql.append(" AND a.name LIKE ? ESCAPE '!'", "%" + likeEscape(q.name()) + "%");
          break;
        default:
          throw new AssertionError(q.nameFilter());
      }
    }
    if (q.startedAfter() != null) {
      sql.append(" AND a.startedat >= ?", q.startedAfter());
    }
    if (q.startedBefore() != null) {
      sql.append(" AND a.startedat <= ?", q.startedBefore());
    }
    SelectorSql.appendConditions(sql, d, q.selector(), "a");
  }
}
