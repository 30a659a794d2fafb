/**
 * Micrometer/Prometheus adapters at the edge: {@link dev.archivist.metrics.WorkQueueMetrics}
 * exports the work queue's metrics seam under client-go's names, {@link
 * dev.archivist.metrics.HeapAfterGc} is the heap figure shown everywhere, and {@link
 * dev.archivist.metrics.Registries} makes the application's Prometheus registry.
 */
package dev.archivist.metrics;
