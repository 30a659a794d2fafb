package dev.archivist.controller.informer;

import dev.archivist.core.LabelSelector;
import dev.archivist.core.Operator;
import dev.archivist.core.Requirement;
import dev.archivist.core.WorkflowLabels;
import java.util.ArrayList;
import java.util.List;

/**
 * The label selector the archive informer sends to the API server, so that a workflow it excludes
 * never reaches the controller: completed, not yet marked {@code Archived}, owned by the
 * configured Argo instance, and matching {@code --archive-label-selector}.
 *
 * <p>Argo's controller selects its workflows by instance ID: with one, those labelled
 * {@value WorkflowLabels#CONTROLLER_INSTANCE_ID}{@code =<id>}; without one, those that lack the
 * label. Archivist archives exactly what the Argo controller of the same instance ID runs.
 */
public final class InformerSelector {
  private InformerSelector() {}

  /**
   * Every requirement a workflow must meet to be archived, as one selector; the workers check
   * the same selector on the full object they read.
   */
  public static LabelSelector archiveCandidates(String instanceId, LabelSelector archiveSelector) {
    return selected(instanceId, archiveSelector,
        new Requirement(WorkflowLabels.COMPLETED, Operator.EQUALS, List.of("true")),
        new Requirement(WorkflowLabels.ARCHIVING_STATUS, Operator.NOT_EQUALS,
            List.of(WorkflowLabels.STATUS_ARCHIVED)));
  }

  /**
   * The workflows of the configured Argo instance, whatever their state: what the finalizer's
   * informer watches (it applies {@code --archive-label-selector} itself, so that a workflow
   * whose labels stop matching while it holds our finalizer is still released).
   */
  public static LabelSelector instanceScope(String instanceId) {
    return LabelSelector.of(List.of(instanceRequirement(instanceId)));
  }

  /**
   * What {@code --delete-after} may delete: the workflows of this instance labelled
   * {@code Archived} that match {@code --archive-label-selector}, the same instance and selector
   * requirements as {@link #archiveCandidates}, so that it never touches what this archive does
   * not select.
   */
  public static LabelSelector archived(String instanceId, LabelSelector archiveSelector) {
    return selected(instanceId, archiveSelector,
        new Requirement(WorkflowLabels.ARCHIVING_STATUS, Operator.EQUALS,
            List.of(WorkflowLabels.STATUS_ARCHIVED)));
  }

  /**
   * {@code state}'s requirements, then the instance's and {@code --archive-label-selector}'s: the
   * workflows in that state that this archive selects.
   */
  private static LabelSelector selected(String instanceId, LabelSelector archiveSelector,
      Requirement... state) {
    List<Requirement> all = new ArrayList<>(List.of(state));
    all.add(instanceRequirement(instanceId));
    all.addAll(archiveSelector.requirements());
    return LabelSelector.of(all);
  }

  private static Requirement instanceRequirement(String instanceId) {
    return instanceId.isEmpty()
        ? new Requirement(WorkflowLabels.CONTROLLER_INSTANCE_ID, Operator.DOES_NOT_EXIST,
            List.of())
        : new Requirement(WorkflowLabels.CONTROLLER_INSTANCE_ID, Operator.EQUALS,
            List.of(instanceId));
  }

  /**
   * {@code selector} in the API server's syntax ({@code labelSelector=} of a list or watch). It
   * differs from {@link LabelSelector#toString()} only in the numeric comparisons, which the API
   * server spells {@code key>5} and {@code key<5}.
   */
  public static String render(LabelSelector selector) {
    StringBuilder sb = new StringBuilder();
    for (Requirement r : selector.requirements()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      switch (r.operator()) {
        case GREATER_THAN -> sb.append(r.key()).append('>').append(r.values().get(0));
        case LESS_THAN -> sb.append(r.key()).append('<').append(r.values().get(0));
        default -> sb.append(r);
      }
    }
    return sb.toString();
  }
}
