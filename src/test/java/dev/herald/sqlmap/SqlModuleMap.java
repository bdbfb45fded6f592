package dev.herald.sqlmap;

import dev.herald.sqlmap.SqlScan.Reference;
import dev.herald.sqlmap.SqlScan.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The module map applied to SQL: who owns each table (view, function), which modules each module
 * may depend on, and the checks of Java SQL and migrations against them.
 */
public final class SqlModuleMap {

  /** Owner of libraries' tables that any module's SQL may name. */
  public static final String FRAMEWORK = "framework";

  private final Map<String, String> owners;
  private final Map<String, Set<String>> allowed;

  /**
   * @param owners owning module (or {@link #FRAMEWORK}) of each table, view and function
   * @param allowed each module's allowed dependencies, as declared in its package-info
   */
  public SqlModuleMap(
      Map<String, String> owners, Map<String, ? extends Collection<String>> allowed) {
    this.owners = Map.copyOf(owners);
    Map<String, Set<String>> copy = new LinkedHashMap<>();
    allowed.forEach((module, deps) -> copy.put(module, Set.copyOf(deps)));
    this.allowed = Map.copyOf(copy);
  }

  /** A rule broken, where, and why. */
  public record Violation(String file, int line, String module, String name, String problem) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + problem;
    }
  }

  /** What the migrations create, besides what they break. */
  public record MigrationReport(List<Violation> violations, Set<String> created) {}

  public Set<String> classified() {
    return owners.keySet();
  }

  /** The classified tables and functions that a Java source's strings name. */
  public Set<String> namedIn(String source) {
    Set<String> named = new TreeSet<>();
    for (JavaStrings.Literal literal : JavaStrings.of(source)) {
      for (Reference r :
          SqlScan.references(SqlScan.tokenize(literal.text(), literal::lineOf), functions())) {
        if (owners.containsKey(r.name())) {
          named.add(r.name());
        }
      }
    }
    return named;
  }

  /**
   * The references in a module's Java strings to objects of modules it may not depend on. Code
   * outside every module ({@code module == null}: bootstrap in the root package) may name none.
   */
  public List<Violation> checkJava(String module, String file, String source) {
    List<Violation> violations = new ArrayList<>();
    Set<String> functions = functions();
    for (JavaStrings.Literal literal : JavaStrings.of(source)) {
      List<Reference> references =
          SqlScan.references(SqlScan.tokenize(literal.text(), literal::lineOf), functions);
      for (Reference r : references) {
        String broken = brokenRule(module, r.name());
        if (broken != null) {
          violations.add(
              new Violation(
                  file, r.line(), module, r.name(), r.clause() + " " + r.name() + ": " + broken));
        }
      }
    }
    return violations;
  }

  /**
   * Each statement of a migration belongs to the owner of the object it creates, alters, indexes or
   * writes into; what else it names must be that module's or of a module it may depend on.
   */
  public MigrationReport checkMigration(String file, String sql, Set<String> createdSoFar) {
    List<Violation> violations = new ArrayList<>();
    Set<String> created = new LinkedHashSet<>(createdSoFar);
    for (Statement s : SqlScan.statements(sql, functionsAnd(created))) {
      created.removeAll(s.dropped());
      if (s.created() != null) {
        created.add(s.created());
      }
      Set<String> named = new TreeSet<>();
      for (Reference r : s.references()) {
        if (owners.containsKey(r.name()) || created.contains(r.name())) {
          named.add(r.name());
        }
      }
      if (s.subject() == null) {
        if (!named.isEmpty()) {
          violations.add(
              new Violation(
                  file,
                  s.line(),
                  null,
                  String.join(", ", named),
                  "a statement that creates, alters or writes into no table names "
                      + named
                      + ": no module can be said to own it"));
        }
        continue;
      }
      String owner = owners.get(s.subject());
      if (owner == null) {
        violations.add(
            new Violation(
                file,
                s.line(),
                null,
                s.subject(),
                s.subject()
                    + " is in no module: add it to sql-module-map.properties with its owner"));
        continue;
      }
      for (Reference r : s.references()) {
        String broken =
            FRAMEWORK.equals(owner) ? frameworkRule(r.name()) : brokenRule(owner, r.name());
        if (broken != null) {
          violations.add(
              new Violation(
                  file,
                  r.line(),
                  owner,
                  r.name(),
                  "a statement on "
                      + s.subject()
                      + " ("
                      + owner
                      + ") names "
                      + r.name()
                      + " in "
                      + r.clause()
                      + ": "
                      + broken));
        }
      }
    }
    return new MigrationReport(violations, created);
  }

  private Set<String> functions() {
    return functionsAnd(Set.of());
  }

  private Set<String> functionsAnd(Set<String> more) {
    // Functions are classified as "name()"; a word followed by '(' is a call only if so named.
    Set<String> all = new LinkedHashSet<>();
    for (String name : owners.keySet()) {
      if (name.endsWith("()")) {
        all.add(name.substring(0, name.length() - 2));
      }
    }
    for (String name : more) {
      if (name.endsWith("()")) {
        all.add(name.substring(0, name.length() - 2));
      }
    }
    return all;
  }

  /** Null when {@code module} may name {@code name}, else the rule it breaks. */
  private String brokenRule(String module, String name) {
    String owner = owners.get(name);
    if (owner == null || owner.equals(module) || owner.equals(FRAMEWORK)) {
      return null;
    }
    if (module == null) {
      return "belongs to module "
          + owner
          + ", and code outside the modules (the root package) may name no module's table";
    }
    Set<String> deps = allowed.get(module);
    if (deps == null) {
      return "module " + module + " declares no allowed dependencies in its package-info";
    }
    if (deps.contains(owner)) {
      return null;
    }
    return "belongs to module "
        + owner
        + ", but "
        + module
        + " may use only its own tables and those of "
        + new TreeSet<>(deps)
        + " (allowedDependencies in dev.herald."
        + module
        + ".package-info)";
  }

  private String frameworkRule(String name) {
    String owner = owners.get(name);
    if (owner == null || owner.equals(FRAMEWORK)) {
      return null;
    }
    return "belongs to module " + owner + ", and a framework table may name only framework tables";
  }
}
