package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.sqlmap.ModuleMapSources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The schema the migrations leave, as PostgreSQL holds it: every table is classified, and no
 * foreign key crosses the module map (V5's outbound_message -> contact is gone since V13).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SqlRespectsModuleMapIntegrationTests {

  @Autowired JdbcClient jdbc;

  static final Map<String, String> owners = ModuleMapSources.owners();
  static final Map<String, List<String>> allowed = ModuleMapSources.allowedDependencies();

  @Test
  void every_table_in_the_database_is_classified_and_every_classified_table_exists() {
    Set<String> tables =
        new TreeSet<>(
            jdbc.sql(
                    """
                    SELECT c.relname FROM pg_class c
                    WHERE c.relnamespace = current_schema()::regnamespace
                      AND c.relkind IN ('r', 'p', 'v', 'm')
                      AND c.relname <> 'flyway_schema_history'
                    """)
                .query(String.class)
                .list());
    Set<String> classifiedTables = new TreeSet<>(owners.keySet());
    classifiedTables.removeIf(name -> name.endsWith("()"));
    classifiedTables.remove(
        "outbound_part"); // dropped by V9; see SqlRespectsModuleMapTests.DROPPED
    assertThat(tables).isEqualTo(classifiedTables);
  }

  @Test
  void no_foreign_key_points_at_a_table_its_module_may_not_use() {
    record ForeignKey(String name, String from, String to) {}
    List<ForeignKey> keys =
        jdbc.sql(
                """
                SELECT k.conname, f.relname AS from_table, t.relname AS to_table
                FROM pg_constraint k
                JOIN pg_class f ON f.oid = k.conrelid
                JOIN pg_class t ON t.oid = k.confrelid
                WHERE k.contype = 'f' AND f.relnamespace = current_schema()::regnamespace
                """)
            .query((rs, n) -> new ForeignKey(rs.getString(1), rs.getString(2), rs.getString(3)))
            .list();
    assertThat(keys).extracting(ForeignKey::to).contains("company", "outbound_message");

    List<String> broken = new ArrayList<>();
    for (ForeignKey key : keys) {
      String from = owners.get(key.from());
      String to = owners.get(key.to());
      boolean allowedHere =
          from != null
              && to != null
              && (from.equals(to) || to.equals("framework") || allowed.get(from).contains(to));
      if (!allowedHere) {
        broken.add(
            key.name() + ": " + key.from() + " (" + from + ") -> " + key.to() + " (" + to + ")");
      }
    }
    assertThat(broken).isEmpty();
  }

  @Test
  void a_message_may_name_a_contact_id_that_delivery_cannot_check() {
    // What V13 changes for a user of delivery's table: the row no longer needs contact's row.
    assertThat(
            jdbc.sql(
                    """
                    SELECT count(*) FROM pg_constraint
                    WHERE conrelid = 'outbound_message'::regclass AND contype = 'f'
                      AND confrelid = 'contact'::regclass
                    """)
                .query(Integer.class)
                .single())
        .isZero();
  }
}
