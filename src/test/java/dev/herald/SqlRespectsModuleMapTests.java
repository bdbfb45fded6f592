package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.sqlmap.ModuleMapSources;
import dev.herald.sqlmap.SqlModuleMap;
import dev.herald.sqlmap.SqlModuleMap.MigrationReport;
import dev.herald.sqlmap.SqlModuleMap.Violation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Modulith sees Java dependencies, not SQL: a module's SQL, in its Java code and in the migrations,
 * names only its own tables and those of modules it may depend on (ARCHITECTURE.md, decision 0005).
 */
class SqlRespectsModuleMapTests {

  static final Map<String, String> owners = ModuleMapSources.owners();
  static final Map<String, List<String>> allowed = ModuleMapSources.allowedDependencies();
  static final SqlModuleMap map = new SqlModuleMap(owners, allowed);

  @Test
  void each_module_s_java_sql_names_only_tables_it_may_use() {
    List<Violation> violations = new ArrayList<>();
    int modulesScanned = 0;
    Set<String> seen = new HashSet<>();
    for (var file : ModuleMapSources.javaFiles().entrySet()) {
      List<Violation> found =
          map.checkJava(
              file.getValue(), file.getKey().toString(), ModuleMapSources.read(file.getKey()));
      violations.addAll(found);
      if (file.getValue() != null && seen.add(file.getValue())) {
        modulesScanned++;
      }
    }
    assertThat(modulesScanned).as("modules scanned").isGreaterThanOrEqualTo(10);
    assertThat(violations).as(report(violations)).isEmpty();
  }

  /**
   * Applied migrations cannot change (Flyway checksums): a breach in one is repaired by a later
   * one, listed here as "migration names object" to the repairing migration. The database itself
   * then shows that the repair holds (SqlRespectsModuleMapIntegrationTests).
   */
  static final Map<String, String> REPAIRED =
      Map.of("V5__outbound_queue.sql names contact", "V13__delivery_forgets_contact_fk.sql");

  @Test
  void each_migration_statement_names_only_tables_its_module_may_use() {
    List<Violation> violations = new ArrayList<>();
    Set<String> repairs = new TreeSet<>();
    Set<String> created = new LinkedHashSet<>();
    List<Path> migrations = ModuleMapSources.migrations();
    for (Path migration : migrations) {
      MigrationReport report =
          map.checkMigration(
              migration.toString(), ModuleMapSources.read(migration), Set.copyOf(created));
      for (Violation v : report.violations()) {
        String key = migration.getFileName() + " names " + v.name();
        if (REPAIRED.containsKey(key)) {
          repairs.add(key);
        } else {
          violations.add(v);
        }
      }
      created = new LinkedHashSet<>(report.created());
    }
    assertThat(created).as("what the migrations create").contains("company", "outbound_message");
    assertThat(violations).as(report(violations)).isEmpty();
    // A repair listed for a breach that is not there (any more) is a stale excuse.
    assertThat(repairs).isEqualTo(REPAIRED.keySet());
    assertThat(migrations.stream().map(p -> p.getFileName().toString()))
        .containsAll(REPAIRED.values());
  }

  @Test
  void every_table_the_migrations_create_is_classified_and_the_map_names_no_other() {
    Set<String> created = new TreeSet<>();
    for (Path migration : ModuleMapSources.migrations()) {
      created =
          new TreeSet<>(
              map.checkMigration(migration.toString(), ModuleMapSources.read(migration), created)
                  .created());
    }
    assertThat(new TreeSet<>(created))
        .as(
            "tables, views and functions the migrations leave (left) against"
                + " sql-module-map.properties (right)")
        .isEqualTo(
            owners.keySet().stream()
                .filter(name -> !DROPPED.contains(name))
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
    assertThat(owners.keySet()).as("dropped tables keep their owner").containsAll(DROPPED);
  }

  /**
   * Tables a migration created and a later one dropped: still classified, since the statements that
   * created and dropped them must be attributed to their module.
   */
  private static final Set<String> DROPPED = Set.of("outbound_part");

  @Test
  void the_scan_sees_the_sql_of_the_code() {
    assertThat(map.namedIn(source("delivery/internal/DispatchSql.java")))
        .containsExactly(
            "company",
            "delivery_suppression",
            "outbound_attempt",
            "outbound_gateway_part",
            "outbound_message",
            "sender_number",
            "sender_number_company");
    assertThat(map.namedIn(source("delivery/internal/RateLimiter.java")))
        .containsExactly("gateway_rate_limit", "take_gateway_tokens()");
    assertThat(map.namedIn(source("contact/Contacts.java")))
        .containsExactly("contact", "contact_email", "contact_phone", "sms_opt_out");
  }

  private static String source(String file) {
    return ModuleMapSources.read(ModuleMapSources.MAIN_JAVA.resolve(file));
  }

  @Test
  void every_owner_is_a_module_or_the_framework() {
    Set<String> known = new HashSet<>(allowed.keySet());
    known.add(SqlModuleMap.FRAMEWORK);
    assertThat(allowed).containsKeys("tenant", "contact", "delivery", "web");
    assertThat(new TreeSet<>(owners.values())).isSubsetOf(known);
  }

  private static String report(List<Violation> violations) {
    StringBuilder text = new StringBuilder("SQL naming tables of modules it may not use:");
    violations.forEach(v -> text.append("\n  ").append(v));
    return text.toString();
  }
}
