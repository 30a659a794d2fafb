package dev.archivist.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** CustomResourceDefinitions from manifests, for tests and benches that bring their own. */
public final class Crds {
  private Crds() {}

  /**
   * Creates every CRD in {@code manifests} that the server lacks (other objects in them are
   * skipped; CRDs already there are left as they are), and waits up to a minute for each to be
   * Established, that is, served.
   *
   * @throws UncheckedIOException naming a manifest that cannot be read
   */
  public static void install(KubernetesClient client, List<Path> manifests) {
    for (Path manifest : manifests) {
      List<HasMetadata> objects;
      try (InputStream in = Files.newInputStream(manifest)) {
        objects = client.load(in).items();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + manifest, e);
      }
      for (HasMetadata o : objects) {
        if (o instanceof CustomResourceDefinition crd) {
          installOne(client, crd);
        }
      }
    }
  }

  private static void installOne(KubernetesClient client, CustomResourceDefinition crd) {
    var resource = client.apiextensions().v1().customResourceDefinitions()
        .withName(crd.getMetadata().getName());
    if (resource.get() == null) {
      client.resource(crd).create();
    }
    resource.waitUntilCondition(c -> c != null && c.getStatus() != null
        && c.getStatus().getConditions() != null
        && c.getStatus().getConditions().stream().anyMatch(cond ->
            "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
        60, TimeUnit.SECONDS);
  }
}
