package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

class ModularityTests {

  static final ApplicationModules modules = ApplicationModules.of(HeraldApplication.class);

  @Test
  void modules_respect_their_declared_dependencies() {
    modules.verify();
  }

  @Test
  void every_module_declares_its_allowed_dependencies() throws Exception {
    assertThat(modules.stream().map(m -> m.getBasePackage().getName()).toList())
        .contains("dev.herald.shared", "dev.herald.tenant", "dev.herald.contact", "dev.herald.web");
    for (var module : modules) {
      Class<?> info = Class.forName(module.getBasePackage().getName() + ".package-info");
      // Without allowedDependencies, verify() would only catch cycles, not breaches of the map.
      ApplicationModule declared = info.getAnnotation(ApplicationModule.class);
      assertThat(declared).as("@ApplicationModule on %s", info.getName()).isNotNull();
      if (module.getBasePackage().getName().equals("dev.herald.shared")) {
        assertThat(declared.allowedDependencies()).as("shared depends on nothing").isEmpty();
      } else {
        assertThat(Arrays.asList(declared.allowedDependencies()))
            .as("%s may use shared", module.getBasePackage().getName())
            .contains("shared");
      }
    }
  }

  @Test
  void writes_module_documentation() {
    new Documenter(modules).writeDocumentation();
  }
}
