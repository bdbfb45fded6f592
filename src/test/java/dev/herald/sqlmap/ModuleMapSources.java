package dev.herald.sqlmap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.modulith.ApplicationModule;

/** Where the module map comes from: the ownership file, the package-infos, the migrations. */
public final class ModuleMapSources {

  public static final Path MAIN_JAVA = Path.of("src/main/java/dev/herald");
  public static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

  private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

  private ModuleMapSources() {}

  /** Table (view, function) to owning module, from {@code sql-module-map.properties}. */
  public static Map<String, String> owners() {
    Properties properties = new Properties();
    try (InputStream in =
        ModuleMapSources.class.getResourceAsStream("/sql-module-map.properties")) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> owners = new TreeMap<>();
    properties.forEach((k, v) -> owners.put(k.toString().trim(), v.toString().trim()));
    return owners;
  }

  /** Each module (top-level package) and its declared allowed dependencies (modules only). */
  public static Map<String, List<String>> allowedDependencies() {
    Map<String, List<String>> allowed = new TreeMap<>();
    for (String module : modules()) {
      ApplicationModule declared;
      try {
        declared =
            Class.forName("dev.herald." + module + ".package-info")
                .getAnnotation(ApplicationModule.class);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("dev.herald." + module + " has no package-info", e);
      }
      if (declared == null) {
        throw new IllegalStateException("dev.herald." + module + " has no @ApplicationModule");
      }
      // "delivery :: gateway" names an interface of delivery: for tables, it is delivery.
      allowed.put(
          module,
          Arrays.stream(declared.allowedDependencies()).map(d -> d.split("::")[0].trim()).toList());
    }
    return allowed;
  }

  public static List<String> modules() {
    try (Stream<Path> dirs = Files.list(MAIN_JAVA)) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every main Java file, by module ({@code null}: the root package, outside every module). */
  public static Map<Path, String> javaFiles() {
    Map<Path, String> files = new LinkedHashMap<>();
    try (Stream<Path> all = Files.walk(MAIN_JAVA)) {
      all.filter(p -> p.toString().endsWith(".java"))
          .sorted()
          .forEach(p -> {
            Path relative = MAIN_JAVA.relativize(p);
            files.put(p, relative.getNameCount() == 1 ? null : relative.getName(0).toString());
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /** The migrations in the order Flyway runs them (by version number, not by name). */
  public static List<Path> migrations() {
    try (Stream<Path> all = Files.list(MIGRATIONS)) {
      List<Path> files = new ArrayList<>(all.filter(p -> p.toString().endsWith(".sql")).toList());
      for (Path p : files) {
        if (!VERSION.matcher(p.getFileName().toString()).matches()) {
          throw new IllegalStateException("not a versioned migration: " + p);
        }
      }
      files.sort(Comparator.comparingInt(ModuleMapSources::version));
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int version(Path migration) {
    Matcher m = VERSION.matcher(migration.getFileName().toString());
    m.matches();
    return Integer.parseInt(m.group(1));
  }

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
