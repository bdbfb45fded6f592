package dev.herald.sqlmap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.sqlmap.SqlModuleMap.Violation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checker itself, on small texts: it reports what it must, and only that. */
class SqlModuleMapTests {

  static final SqlModuleMap map =
      new SqlModuleMap(
          Map.of(
              "company", "tenant",
              "contact", "contact",
              "contact_phone", "contact",
              "outbound_message", "delivery",
              "simulator_control", "delivery",
              "take_tokens()", "delivery",
              "event_publication", SqlModuleMap.FRAMEWORK),
          Map.of(
              "tenant", List.of("shared"),
              "contact", List.of("shared", "tenant"),
              "delivery", List.of("shared", "tenant", "billing"),
              "notification", List.of("shared", "tenant", "contact", "delivery")));

  static List<Violation> delivery(String java) {
    return map.checkJava("delivery", "Foo.java", java);
  }

  static List<String> names(List<Violation> violations) {
    return violations.stream().map(Violation::name).toList();
  }

  @Test
  void a_foreign_table_is_reported_with_file_line_owner_and_rule() {
    List<Violation> found =
        delivery(
            """
            class Foo {
              String sql =
                  \"""
                  SELECT m.id
                  FROM outbound_message m
                  JOIN contact c ON c.id = m.contact_id
                  \""";
            }
            """);
    assertThat(found).hasSize(1);
    Violation v = found.getFirst();
    assertThat(v.file()).isEqualTo("Foo.java");
    assertThat(v.line()).isEqualTo(6);
    assertThat(v.module()).isEqualTo("delivery");
    assertThat(v.name()).isEqualTo("contact");
    assertThat(v.toString())
        .isEqualTo(
            "Foo.java:6: JOIN contact: belongs to module contact, but delivery may use only its"
                + " own tables and those of [billing, shared, tenant] (allowedDependencies in"
                + " dev.herald.delivery.package-info)");
  }

  @Test
  void own_and_allowed_tables_are_not_reported() {
    assertThat(
            delivery(
                """
                String a = "SELECT * FROM outbound_message m JOIN company c ON c.id = m.tenant_id";
                String b = "UPDATE outbound_message SET status = 'sent'";
                """))
        .isEmpty();
    assertThat(
            map.checkJava(
                "notification",
                "Bar.java",
                "String a = \"SELECT * FROM contact, outbound_message, company\";"))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT * FROM contact",
        "select * from CONTACT",
        "SELECT * FROM outbound_message m, contact c WHERE c.id = m.contact_id",
        "SELECT * FROM outbound_message AS m, company AS t, contact",
        "SELECT * FROM outbound_message m LEFT JOIN LATERAL (SELECT 1) x ON true JOIN contact c ON true",
        "INSERT INTO contact (id) VALUES (?)",
        "UPDATE contact SET name = ''",
        "UPDATE ONLY contact SET name = ''",
        "DELETE FROM contact WHERE id = ?",
        "DELETE FROM outbound_message m USING contact c WHERE c.id = m.contact_id",
        "TRUNCATE contact",
        "LOCK TABLE contact IN SHARE MODE",
        "ALTER TABLE outbound_message ADD FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id)",
        "SELECT * FROM public.contact",
        "SELECT EXISTS (SELECT 1 FROM contact_phone WHERE number = ?)",
        "SELECT * FROM outbound_message WHERE contact_id IN (SELECT id FROM contact)",
        "SELECT * FROM (SELECT * FROM contact) AS c",
        "SELECT * FROM unnest(:ids::uuid[]) AS r(id) JOIN contact c ON c.id = r.id",
        "WITH contact_ids AS (SELECT id FROM contact) SELECT * FROM contact_ids"
      })
  void a_foreign_table_is_found_in_every_table_position(String sql) {
    String java = "String sql = \"" + sql + "\";";
    assertThat(names(delivery(java))).as(sql).containsAnyOf("contact", "contact_phone");
  }

  @Test
  void case_newlines_and_concatenation_do_not_hide_a_table() {
    List<Violation> found =
        delivery(
            """
            String a =
                "select m.id "
                    + "from\\n"
                    + "  Contact_Phone";
            String b = "SELECT * FROM " + "contact";
            """);
    assertThat(found)
        .extracting(Violation::name, Violation::line)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("contact_phone", 4),
            org.assertj.core.groups.Tuple.tuple("contact", 5));
  }

  @Test
  void a_cte_named_like_a_table_is_not_reported_but_the_table_in_another_statement_is() {
    assertThat(
            delivery(
                """
                String a = \"""
                    WITH contact AS (SELECT tenant_id, id FROM outbound_message),
                         company (id) AS MATERIALIZED (SELECT 1)
                    SELECT * FROM contact JOIN company ON true
                    \""";
                """))
        .isEmpty();
    assertThat(
            names(
                delivery(
                    """
                    String a = "WITH contact AS (SELECT 1) SELECT * FROM contact";
                    String b = "SELECT * FROM contact";
                    """)))
        .containsExactly("contact");
  }

  @Test
  void columns_keywords_comments_and_prose_named_like_tables_are_not_reported() {
    assertThat(
            delivery(
                """
                // SELECT * FROM contact: a comment
                /* JOIN contact */
                String a = "SELECT m.contact, extract(epoch FROM contact), substring(contact FROM 2)"
                    + " FROM outbound_message m WHERE m.contact IS DISTINCT FROM m.company"
                    + " AND trim(both ' ' FROM contact) <> '' AND 'JOIN contact' <> ''"
                    + " FOR UPDATE OF m SKIP LOCKED";
                String b = "INSERT INTO outbound_message (contact) VALUES (:contact)"
                    + " ON CONFLICT (id) DO UPDATE SET contact = excluded.contact";
                String c = "SELECT contact_id::contact FROM outbound_message";
                char q = '"';
                String d = "say \\"hi\\" (a quoted name) and then JOIN contact";
                """))
        .extracting(Violation::name)
        .containsExactly("contact"); // only d: its escaped quotes do not end the literal
  }

  @Test
  void a_function_of_a_foreign_module_is_a_reference_too() {
    assertThat(names(map.checkJava("contact", "C.java", "String a = \"SELECT take_tokens(?)\";")))
        .containsExactly("take_tokens()");
    assertThat(delivery("String a = \"SELECT take_tokens(?, ?)\";")).isEmpty();
  }

  @Test
  void code_outside_the_modules_may_name_no_module_s_table() {
    assertThat(names(map.checkJava(null, "Boot.java", "String a = \"SELECT * FROM company\";")))
        .containsExactly("company");
  }

  @Test
  void framework_tables_are_any_module_s_but_name_only_framework_tables() {
    assertThat(map.checkJava("contact", "C.java", "String a = \"DELETE FROM event_publication\";"))
        .isEmpty();
    assertThat(
            names(
                map.checkMigration(
                        "V9__x.sql",
                        "CREATE INDEX ep_ix ON event_publication (id) WHERE id IN (SELECT id FROM company);",
                        Set.of())
                    .violations()))
        .containsExactly("company");
  }

  @Test
  void a_migration_statement_belongs_to_the_owner_of_what_it_creates_alters_or_writes() {
    String sql =
        """
        -- outbound_message is delivery's: contact is foreign there, company is allowed
        CREATE TABLE outbound_message (
            tenant_id  uuid NOT NULL REFERENCES company (id),
            contact_id uuid,
            FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id)
        );
        CREATE INDEX contact_phone_ix ON contact_phone (tenant_id) WHERE tenant_id IN (SELECT id FROM company);
        ALTER TABLE contact ADD COLUMN x int;
        INSERT INTO simulator_control (id) SELECT 1 FROM company;
        CREATE FUNCTION take_tokens(p text) RETURNS integer LANGUAGE plpgsql AS $$
        DECLARE
            available integer;
        BEGIN
            SELECT count(*) INTO available FROM outbound_message;
            PERFORM 1 FROM contact_phone;
            RETURN extract(epoch FROM now() - now());
        END $$;
        """;
    SqlModuleMap.MigrationReport report = map.checkMigration("V9__x.sql", sql, Set.of());
    assertThat(report.violations())
        .extracting(Violation::line, Violation::module, Violation::name)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(5, "delivery", "contact"),
            org.assertj.core.groups.Tuple.tuple(15, "delivery", "contact_phone"));
    assertThat(report.violations().getFirst().problem())
        .startsWith("a statement on outbound_message (delivery) names contact in REFERENCES");
    assertThat(report.created()).containsExactly("outbound_message", "take_tokens()");
  }

  @Test
  void an_unclassified_table_and_an_unattributable_statement_are_reported() {
    SqlModuleMap.MigrationReport report =
        map.checkMigration(
            "V9__x.sql",
            """
            CREATE TABLE IF NOT EXISTS gizmo (id int);
            SELECT count(*) FROM company;
            SELECT 1;
            ALTER TABLE gizmo RENAME TO widget;
            DROP TABLE IF EXISTS simulator_control;
            """,
            Set.of("simulator_control"));
    assertThat(report.violations())
        .extracting(Violation::line, Violation::name)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "gizmo"),
            org.assertj.core.groups.Tuple.tuple(2, "company"),
            org.assertj.core.groups.Tuple.tuple(4, "widget"));
    assertThat(report.created()).containsExactly("widget");
  }
}
