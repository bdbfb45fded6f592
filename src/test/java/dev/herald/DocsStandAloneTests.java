package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** README and docs/ stand alone: no link leaves the repository, and every link inside resolves. */
class DocsStandAloneTests {

  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)|`(\\.\\./[^`]+)`");
  private static final Pattern WEB = Pattern.compile("https?://[^\\s)`'\"]+");

  @Test
  void readme_and_docs_link_nothing_outside_the_repository() throws IOException {
    List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
    try (Stream<Path> docs = Files.walk(Path.of("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).forEach(files::add);
    }
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      String text = Files.readString(file);
      Matcher link = LINK.matcher(text);
      while (link.find()) {
        String target = link.group(1) != null ? link.group(1) : link.group(2);
        if (target.startsWith("http") || target.startsWith("#")) {
          continue;
        }
        Path resolved = file.toAbsolutePath().getParent().resolve(target.split("#")[0]).normalize();
        if (!resolved.startsWith(Path.of("").toAbsolutePath()) || !Files.exists(resolved)) {
          problems.add(file + ": " + target);
        }
      }
      Matcher web = WEB.matcher(text);
      while (web.find()) {
        String url = web.group();
        if (!url.matches(
            "https?://(localhost|127\\.0\\.0\\.1|[\\w.-]*example\\.(com|dk|org))\\b.*")) {
          problems.add(file + ": " + url);
        }
      }
    }
    assertThat(files).hasSizeGreaterThan(5);
    assertThat(problems).as("links that leave the repository or lead nowhere").isEmpty();
  }
}
