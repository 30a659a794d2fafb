/**
 * Micrometer/Prometheus adapters at the edge: {@link dev.archivist.metrics.WorkQueueMetrics}
 * exports the work queue's metrics seam under client-go's names, and {@link
 * dev.archivist.metrics.Registries} makes the application's Prometheus registry.
 */
package dev.archivist.metrics;
