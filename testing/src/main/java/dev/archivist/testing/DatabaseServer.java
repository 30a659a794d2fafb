package dev.archivist.testing;

import java.sql.SQLException;

/** A database server on which test classes get their own schema. */
interface DatabaseServer {

  /** Creates an empty schema/database called {@code name}. */
  TestDatabase create(String name) throws SQLException;

  /** Drops it and everything in it. */
  void drop(TestDatabase database) throws SQLException;
}
