package dev.archivist.bench.argo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArgoMemoryOptionsTest {
  @TempDir
  Path dir;

  private Path kubeconfig;
  private Path argoBin;

  @BeforeEach
  void files() throws Exception {
    kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\n");
    argoBin = Files.createDirectories(dir.resolve("argo"));
    Files.createFile(argoBin.resolve("workflow-controller"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
  }

  @Test
  void parse_readsTheFlags() {
    ArgoMemoryOptions o = ArgoMemoryOptions.parse(new String[] {
        "--kubeconfig", kubeconfig.toString(), "--argo-bin", argoBin.toString(),
        "--db", "jdbc:postgresql://h/db", "--workflows", "20", "--mode", "argo"});

    assertThat(o.workflows()).isEqualTo(20);
    assertThat(o.modes()).containsExactly("argo");
    assertThat(o.db()).isEqualTo("jdbc:postgresql://h/db");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "jdbc:mariadb://h/db?user=u&password=secret",
      "jdbc:mysql://u:secret@h/db"})
  void parse_refusesAnotherDatabase_withoutShowingItsPassword(String url) {
    assertThatThrownBy(() -> ArgoMemoryOptions.parse(new String[] {
        "--kubeconfig", kubeconfig.toString(), "--argo-bin", argoBin.toString(),
        "--db", url}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--db must be a jdbc:postgresql: URL")
        .hasMessageContaining("****")
        .hasMessageNotContaining("secret");
  }
}
