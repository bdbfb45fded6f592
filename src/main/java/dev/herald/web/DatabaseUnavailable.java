package dev.herald.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;

/** Tells a database that cannot be reached (down, restarting, out of connections) from a bug. */
final class DatabaseUnavailable {

  private DatabaseUnavailable() {}

  static boolean isCause(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
      if (t instanceof DataAccessResourceFailureException
          || t instanceof TransientDataAccessResourceException
          || t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          // A transaction that could not begin, commit or roll back: its connection is gone
          // (Hikari's "Connection is closed" carries no SQL state).
          || t instanceof org.springframework.transaction.CannotCreateTransactionException
          || t instanceof org.springframework.transaction.TransactionSystemException
          || t instanceof SQLException sql && unreachable(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** PostgreSQL's connection exceptions (08) and shutdowns (57P01-57P03). */
  private static boolean unreachable(String sqlState) {
    return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P"));
  }
}
