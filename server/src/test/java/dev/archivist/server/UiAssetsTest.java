package dev.archivist.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UiAssetsTest {
  @Test
  void servable_knownTypesInsideTheRoot() {
    assertThat(UiAssets.servable("index.html")).startsWith("text/html");
    assertThat(UiAssets.servable("js/main.js")).startsWith("text/javascript");
    assertThat(UiAssets.servable("app.CSS")).startsWith("text/css");
    assertThat(UiAssets.servable("favicon.svg")).isEqualTo("image/svg+xml");
  }

  @Test
  void servable_nothingOutsideTheRootOrOfAnotherType() {
    for (String bad : new String[] {"", "/etc/passwd.html", "../openapi/archivist-api.json",
        "js/../../x.js", "js//main.js", "./index.html", "js\\main.js", "README", "x.class",
        "dev/archivist/server/UiAssets.class", "js/"}) {
      assertThat(UiAssets.servable(bad)).as(bad).isNull();
    }
  }
}
